// Unit tests for authors (in progress).
#include <catch2/catch.hpp>
