// The `retort` program: the command line of command_line.hpp, reading retort.toml.
#include <retort/cli/command_line.hpp>

int main(int argc, char** argv) { return retort::cli::run(argc, argv); }
