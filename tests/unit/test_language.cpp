// Unit tests for language (in progress).
#include <catch2/catch.hpp>
