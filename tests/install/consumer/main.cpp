// Uses an installed retort: opens an in-memory SQLite database, runs one statement and prints the
// scalar result. Exits 0 only when the answer is 42. Built with -Wall -Wextra -Werror at -O2
// (CMakeLists.txt): the aggregates meant for designated initializers, given one field, and the
// headers themselves must compile without a warning in a user's program.
#include <retort/core/sql/statement_formatter.hpp>  // fmt::format("{}", stmt)
#include <retort/retort.hpp>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <sstream>

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

    // The Core guide's spellings compile and work from the installed headers: rows in place,
    // commit-as-you-go, exact decimals back from SQLite's doubles, statements printed.
    retort::MetaData metadata;
    auto& prices = metadata.table("prices", retort::Column("id", retort::Integer{}).primary_key(),
                                  retort::Column("amount", retort::Numeric{8, 2}));
    auto as_you_go = retort::create_engine("sqlite://", {.autobegin = true});
    auto c = as_you_go.connect();
    metadata.create_all(c);
    c.execute(retort::insert(prices), {{{"id", 1}, {"amount", retort::Decimal("2.50")}}, {{"id", 2}, {"amount", 4}}});
    c.commit();
    auto sum = retort::select(retort::func::sum(prices.c("amount")));
    if (c.execute(sum).scalar_one<retort::Decimal>() != retort::Decimal("6.5")) return 4;
    std::ostringstream printed;
    printed << sum;
    if (printed.str() != fmt::format("{}", sum) || sum.compile(as_you_go).sql.find("sum(") == std::string::npos)
      return 5;

    std::printf("answer=%lld\n", static_cast<long long>(answer));
    return answer == 42 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "consumer: %s\n", e.what());
    return 2;
  }
}
