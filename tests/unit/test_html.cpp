// Unit tests for html (in progress).
#include <catch2/catch.hpp>
