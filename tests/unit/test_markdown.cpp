// Unit tests for markdown (in progress).
#include <catch2/catch.hpp>
