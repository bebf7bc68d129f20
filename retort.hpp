// The public API of retort in one header: #include <retort/retort.hpp>, which is
// <retort/core.hpp> (Core as retort::Name: retort::create_engine, retort::Column, ...) and
// <retort/migrate.hpp> (the migration commands: retort::migrate::upgrade(config, "head") and
// friends). A program that uses only one of them compiles faster including only that one.
#pragma once

#include <retort/core.hpp>
#include <retort/migrate.hpp>
