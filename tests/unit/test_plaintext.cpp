// Unit tests for plaintext (in progress).
#include <catch2/catch.hpp>
