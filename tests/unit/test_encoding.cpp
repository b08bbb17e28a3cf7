// Unit tests for encoding (in progress).
#include <catch2/catch.hpp>
