// Unit tests for config (in progress).
#include <catch2/catch.hpp>
