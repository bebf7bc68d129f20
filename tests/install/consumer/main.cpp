// Uses an installed retort: opens an in-memory SQLite database, runs one statement and prints the
// scalar result. Exits 0 only when the answer is 42. Built with -Wall -Wextra -Werror at -O2
// (CMakeLists.txt): the aggregates meant for designated initializers, given one field, and the
// headers themselves must compile without a warning in a user's program.
#include <retort/retort.hpp>

#include <cstdint>
#include <cstdio>
#include <exception>

int main() {
  try {
    const retort::ForeignKey author{.target = "users.id", .ondelete = "CASCADE"};
    const retort::Computed total{.sqltext = "price * quantity"};
    const retort::ForeignKeyConstraint pair{.columns = {"a", "b"}, .referred_table = "t"};
    const retort::migrate::RevisionOptions revision{.message = "add users"};
    const retort::migrate::CommandOptions options{.strict = true};
    const retort::ReflectOptions only{.only = {"users"}};
    if (author.target.empty() || total.sqltext.empty() || pair.columns.size() != 2 || revision.message.empty() ||
        !options.strict || only.only.size() != 1)
      return 3;

    auto engine = retort::create_engine("sqlite://");
    auto conn = engine.connect();
    auto result = conn.execute(retort::text("SELECT 40 + 2"));
    const auto answer = result.scalar_one<std::int64_t>();
    std::printf("answer=%lld\n", static_cast<long long>(answer));
    return answer == 42 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "consumer: %s\n", e.what());
    return 2;
  }
}
