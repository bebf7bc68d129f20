// The Catch2 runner for every test file (compiled once).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
