// revision, merge and edit.
#include <cstdlib>

#include <fmt/format.h>

#include <retort/migrate/errors.hpp>
#include <retort/migrate/revision_id.hpp>

#include "global_options.hpp"

namespace retort::cli {

namespace {

/// One of the library's rules (revision_id.hpp) as a CLI11 check: a refused value is a usage
/// error (exit 2), named before the project is read.
CLI::Validator rule(std::string (*error)(std::string_view)) {
  return CLI::Validator([error](std::string& value) { return error(value); }, "");
}

/// --head and --depends-on: an empty value (an unset variable) would read as base.
CLI::Validator not_empty(const char* names) {
  return CLI::Validator(
      [names](std::string& value) { return value.empty() ? fmt::format("is empty: name {}", names) : std::string(); },
      "");
}

}  // namespace

void add_revision_commands(CLI::App& app, GlobalOptions& global) {
  auto* rev = app.add_subcommand("revision", "create a new revision file");
  auto opts = std::make_shared<migrate::RevisionOptions>();
  auto heads = std::make_shared<std::vector<std::string>>();
  auto rev_id = std::make_shared<std::string>();
  auto version_path = std::make_shared<std::string>();
  rev->add_option("-m,--message", opts->message, "what the revision does")->required();
  rev->add_option("--head", *heads, "revision(s) the new one follows (default: head)")
      ->check(not_empty("a revision, a branch label, head or base"));
  rev->add_flag("--splice", opts->splice, "allow --head to name a revision that is not a head");
  rev->add_option("--branch-label", opts->branch_labels, "label for a new branch")
      ->check(rule(migrate::branch_label_error));
  rev->add_option("--version-path", *version_path, "version folder to write into");
  rev->add_option("--rev-id", *rev_id, "revision id to use instead of a random one (letters, digits, '_')")
      ->check(rule(migrate::revision_id_error));
  rev->add_option("--depends-on", opts->depends_on, "revisions this one depends on")
      ->check(not_empty("a revision or a branch label"));
  auto autogenerate = std::make_shared<bool>(false);
  auto allow_empty = std::make_shared<bool>(false);
  auto declared = std::make_shared<DeclaredSchemaArguments>();
  rev->add_flag("--autogenerate", *autogenerate,
                "write the ops that make the database match the declared schema ([autogenerate] in retort.toml, "
                "--schema or --target-url)");
  rev->add_flag("--allow-empty", *allow_empty, "with --autogenerate: write the revision even when nothing differs");
  // Strict by default in CI: a likely rename fails instead of becoming a drop and an add.
  const char* ci = std::getenv("CI");
  auto strict = std::make_shared<bool>(false);
  auto not_strict = std::make_shared<bool>(false);
  rev->add_flag("--strict", *strict,
                "with --autogenerate: fail on a likely rename instead of writing a drop and an add (the default "
                "when CI=true)");
  rev->add_flag("--no-strict", *not_strict, "with --autogenerate: write a likely rename as a drop and an add");
  add_declared_schema_options(rev, *declared);
  rev->callback(
      [&global, opts, heads, rev_id, version_path, autogenerate, allow_empty, declared, strict, not_strict, ci] {
        auto o = *opts;
        if (!heads->empty()) o.head = *heads;
        if (!rev_id->empty()) o.rev_id = *rev_id;
        if (!version_path->empty()) o.version_path = *version_path;
        auto config = global.load_config();
        if (!*autogenerate) {
          if (!declared->schema_file.empty() || !declared->metadata_file.empty() || !declared->target_url.empty() ||
              !declared->dev_url.empty() || !declared->renames.empty() || *allow_empty)
            throw migrate::UsageError(
                "--schema, --metadata, --target-url, --dev-url, --rename and --allow-empty go with --autogenerate");
          auto path = migrate::revision(config, o);
          fmt::print("Generated {}\n", path.string());
          return;
        }
        bool is_strict = !*not_strict && (*strict || (ci && std::string(ci) == "true"));
        auto generated = migrate::autogenerate::revision(config, o, declared->resolve(global), *allow_empty,
                                                         global.command_options(), is_strict);
        print_warnings(generated.plan);
        if (!generated.file) {
          fmt::print("No changes in schema detected: nothing written (--allow-empty writes an empty revision)\n");
          return;
        }
        for (const auto& d : generated.plan.differences) fmt::print("  {}\n", d);
        fmt::print("Generated {}\n", generated.file->string());
      });

  auto* merge = app.add_subcommand("merge", "create a revision that merges heads");
  auto revs = std::make_shared<std::vector<std::string>>();
  auto message = std::make_shared<std::string>();
  auto merge_id = std::make_shared<std::string>();
  merge->add_option("revisions", *revs, "revisions to merge, or `heads`")->required();
  merge->add_option("-m,--message", *message, "message")->required();
  merge->add_option("--rev-id", *merge_id, "revision id to use (letters, digits, '_')")
      ->check(rule(migrate::revision_id_error));
  merge->callback([&global, revs, message, merge_id] {
    std::optional<std::string> id;
    if (!merge_id->empty()) id = *merge_id;
    auto path = migrate::merge(global.load_config(), *revs, *message, id);
    fmt::print("Generated {}\n", path.string());
  });

  auto* edit = app.add_subcommand("edit", "open a revision file in $EDITOR");
  auto target = std::make_shared<std::string>("head");
  edit->add_option("revision", *target, "revision to edit")->capture_default_str();
  edit->callback([&global, target] {
    auto path = migrate::revision_file(global.load_config(), *target);
    const char* editor = std::getenv("EDITOR");
    if (!editor || !*editor) throw migrate::CommandError("$EDITOR is not set; the file is " + path.string());
    std::string cmd = fmt::format("{} '{}'", editor, path.string());
    if (std::system(cmd.c_str()) != 0) throw migrate::CommandError("the editor failed: " + cmd);
  });
}

}  // namespace retort::cli
