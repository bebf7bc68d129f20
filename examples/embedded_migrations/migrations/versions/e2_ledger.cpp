// retort:revision e2
// retort:down_revision e1
// retort:message ledger
#include <retort/migrate/cpp_revision.hpp>

RETORT_UPGRADE(op) {
  const auto& ledger =
      op.create_table("ledger", retort::Column("id", retort::Integer{}).primary_key(),
                      retort::Column("account_id", retort::Integer{}).not_null().references("accounts.id"),
                      retort::Column("amount", retort::BigInteger{}).not_null());
  op.bulk_insert(ledger,
                 {{{"id", 1}, {"account_id", 1}, {"amount", 30}}, {{"id", 2}, {"account_id", 2}, {"amount", 12}}});
}

RETORT_DOWNGRADE(op) { op.drop_table("ledger"); }
