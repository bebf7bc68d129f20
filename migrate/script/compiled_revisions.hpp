// The compiled C++ revision steps of this process (those linked in, and those loaded from shared
// objects by the revision compiler), and the RETORT_UPGRADE / RETORT_DOWNGRADE macros that
// register them under RETORT_REVISION_KEY. Revision files include <retort/migrate/cpp_revision.hpp>,
// which includes this.
#pragma once

#include <string>
#include <vector>

#include <retort/migrate/ops/operations.hpp>

namespace retort::migrate {

using RevisionStep = void (*)(Operations&);

/// A compiled revision's steps, registered by its key.
struct CompiledRevision {
  std::string key{};
  RevisionStep upgrade = nullptr;
  RevisionStep downgrade = nullptr;
};

/// The compiled revisions of this process: those linked in and those loaded from shared objects.
class CompiledRevisions {
 public:
  static CompiledRevisions& instance();
  void add(const char* key, bool upgrade, RevisionStep step);
  /// The revision registered under `key`, or nullptr.
  const CompiledRevision* find(const std::string& key) const;
  const std::vector<CompiledRevision>& all() const noexcept { return revisions_; }

 private:
  CompiledRevisions() = default;
  std::vector<CompiledRevision> revisions_;
};

/// Registers one step at static initialisation (what the macros expand to).
struct RevisionStepRegistrar {
  RevisionStepRegistrar(const char* key, bool upgrade, RevisionStep step) {
    CompiledRevisions::instance().add(key, upgrade, step);
  }
};

}  // namespace retort::migrate

#define RETORT_REVISION_CONCAT_(a, b) a##b
#define RETORT_REVISION_NAME_(a, b) RETORT_REVISION_CONCAT_(a, b)
#define RETORT_REVISION_STEP_(is_upgrade, op, n)                                                              \
  static void RETORT_REVISION_NAME_(retort_revision_step_, n)(::retort::migrate::Operations & op);            \
  static const ::retort::migrate::RevisionStepRegistrar RETORT_REVISION_NAME_(retort_revision_registrar_, n){ \
      RETORT_REVISION_KEY, is_upgrade, &RETORT_REVISION_NAME_(retort_revision_step_, n)};                     \
  static void RETORT_REVISION_NAME_(retort_revision_step_, n)(::retort::migrate::Operations & op)

#ifndef RETORT_REVISION_KEY
// Compiled outside retort's revision compiler and retort_add_migrations(): the steps register under
// the file's path (one revision per translation unit).
#define RETORT_REVISION_KEY __FILE__
#endif

/// Defines the revision's upgrade: RETORT_UPGRADE(op) { op.add_column(...); }
#define RETORT_UPGRADE(op) RETORT_REVISION_STEP_(true, op, __COUNTER__)
/// Defines the revision's downgrade: RETORT_DOWNGRADE(op) { op.drop_column(...); }
#define RETORT_DOWNGRADE(op) RETORT_REVISION_STEP_(false, op, __COUNTER__)
