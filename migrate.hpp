// The migration commands in one header: #include <retort/migrate.hpp>. retort::migrate::upgrade
// (config, "head") and the rest of the command set, the configuration and the errors they raise.
// Autogenerate for library users is <retort/migrate/autogenerate/autogenerate.hpp>; C++ revisions
// include <retort/migrate/cpp_revision.hpp>.
#pragma once

#include <retort/migrate/commands.hpp>
#include <retort/migrate/config.hpp>
#include <retort/migrate/errors.hpp>
