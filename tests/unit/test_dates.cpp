// Unit tests for dates (in progress).
#include <catch2/catch.hpp>
