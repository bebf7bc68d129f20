// The Core guide (docs/core-guide.md) cannot drift from code that runs: each of its C++ snippets is
// a marked region of examples/core_guide.cpp, and that program runs on every backend with the
// output the guide describes.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli_database.hpp"
#include "support/cli_runner.hpp"
#include "support/each_backend.hpp"

namespace {

using retort::testing::Backend;

const std::filesystem::path source_root = std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();

std::vector<std::string> read_lines(const std::filesystem::path& file) {
  std::ifstream in(file);
  REQUIRE(in.good());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// The lines with their common indentation removed, joined.
std::string dedent(const std::vector<std::string>& lines) {
  std::size_t indent = std::string::npos;
  for (const auto& line : lines)
    if (line.find_first_not_of(' ') != std::string::npos) indent = std::min(indent, line.find_first_not_of(' '));
  std::string out;
  for (const auto& line : lines) out += (line.size() > indent ? line.substr(indent) : std::string()) + "\n";
  return out;
}

std::string trimmed(const std::string& line) {
  auto first = line.find_first_not_of(' ');
  return first == std::string::npos ? std::string() : line.substr(first);
}

/// The program's regions: from a line `// [guide:NAME]` to a line `// [/guide]`.
std::map<std::string, std::string> program_regions(const std::vector<std::string>& lines) {
  std::map<std::string, std::string> regions;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto marker = trimmed(lines[i]);
    if (marker.rfind("// [guide:", 0) != 0 || marker.back() != ']') continue;
    auto name = marker.substr(10, marker.size() - 11);
    std::vector<std::string> body;
    std::size_t j = i + 1;
    for (; j < lines.size() && trimmed(lines[j]) != "// [/guide]"; ++j) body.push_back(lines[j]);
    INFO("region " << name);
    REQUIRE(j < lines.size());
    CHECK(regions.emplace(name, dedent(body)).second);
    i = j;
  }
  return regions;
}

TEST_CASE("the Core guide's snippets are the text of the program the tests run", "[guide]") {
  auto program = program_regions(read_lines(source_root / "examples" / "core_guide.cpp"));
  auto guide = read_lines(source_root / "docs" / "core-guide.md");
  std::map<std::string, int> used;
  for (std::size_t i = 0; i < guide.size(); ++i) {
    if (guide[i] != "```cpp" && guide[i] != "```c++" && guide[i] != "```cc") continue;
    // Each C++ block is announced by <!-- guide:NAME --> on the line before it.
    INFO("docs/core-guide.md line " << i + 1);
    REQUIRE(i > 0);
    auto marker = guide[i - 1];
    REQUIRE(marker.rfind("<!-- guide:", 0) == 0);
    auto name = marker.substr(11, marker.find(" -->") - 11);
    std::vector<std::string> body;
    std::size_t j = i + 1;
    for (; j < guide.size() && guide[j] != "```"; ++j) body.push_back(guide[j]);
    REQUIRE(program.count(name) == 1);
    CHECK(dedent(body) == program.at(name));
    ++used[name];
    i = j;
  }
  for (const auto& [name, text] : program) {
    INFO("region " << name << " of examples/core_guide.cpp is not in the guide");
    CHECK(used[name] == 1);
  }
}

const char* const expected_output = R"(inserted 6 posts
Post 6 has 60 views
Post 5 has 50 views
Ann true 2024-02-29 false false Ann,Bob 6
Ann: 2 posts, 90 views
Bob: 2 posts, 50 views
cy@example.org: 2 posts, 70 views
busy: ann@example.org,cy@example.org; top posts: 2; writers: 1,2,3
bumped 2, removed 1
renamed: Cy
user 2 is now Robert
user 1 wrote: Post 3, Post 6, Final
more than 40 views: 3
SELECT users.name FROM users WHERE users.id = :param_1
binds param_1 = 5
SELECT users.name FROM users WHERE users.id = 5
posts: id, user_id, title, views
reflected users has 5 columns
statements seen: 1
refused: INSERT INTO users
bad URL: masked
)";

void guide_program_runs(Backend backend) {
  auto dir = std::filesystem::path(std::getenv("RETORT_TEST_TMPDIR") ? std::getenv("RETORT_TEST_TMPDIR")
                                                                     : std::filesystem::temp_directory_path()) /
             ("core-guide-" + std::to_string(::getpid()) + "-" + retort::testing::backend_name(backend));
  std::filesystem::create_directories(dir);
  {  // the database goes (its client runs in `dir`) before `dir` does
    auto db = retort::testing::CliDatabase::create(backend, dir);
    if (!db) return;
    auto command = retort::testing::shell_quote(RETORT_CORE_GUIDE_PATH) + " " + retort::testing::shell_quote(db->url());
    auto first = retort::testing::run_command(command, dir);
    CHECK(first.exit_code == 0);
    CHECK(first.output == expected_output);
    // It drops what it made, so it runs again the same way.
    auto second = retort::testing::run_command(command, dir);
    CHECK(second.exit_code == 0);
    CHECK(second.output == first.output);
  }
  std::filesystem::remove_all(dir);
}
RETORT_BACKEND_TEST("the Core guide's program runs as the guide says", guide_program_runs)

}  // namespace
