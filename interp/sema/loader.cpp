// Loading: parse each policy file once, follow `import` and `use`, detect cycles and escapes from the root.
#include "sema/loader.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "edict/files.hpp"
#include "parse.hpp"

namespace edict::detail {
const std::vector<std::pair<std::string_view, std::string_view>>& stdlib_modules();
}

namespace edict::sema {
namespace fs = std::filesystem;

namespace {

class Loader {
 public:
  Loader(const CompileOptions& options, std::string root)
      : options_(options), limits_(options.effective_limits()), root_(std::move(root)) {}

  void load_root(const SourceFile& file) {
    const auto key = normal_key(file.path);
    if (index_by_key_.count(key)) return;
    if (!within_limits(file.text.size(), {}, file.path)) return;
    load_text(key, file.path, file.text, false, {});
  }

  Loaded take() { return std::move(out_); }

 private:
  static std::string normal_key(const std::string& path) { return fs::path(path).lexically_normal().string(); }

  void load_text(const std::string& key, const std::string& display, std::string text, bool stdlib,
                 std::vector<std::string> chain) {
    const auto index = static_cast<std::uint32_t>(out_.sources.size());
    index_by_key_[key] = index;
    out_.sources.push_back({display, std::move(text)});
    grammar::ParseOptions parse_options;
    parse_options.max_source_bytes = limits_.source_file_bytes;
    parse_options.max_nesting_depth = limits_.nesting_depth;
    parse_options.max_number_digits = limits_.number_digits;
    parse_options.max_string_bytes = limits_.string_bytes;
    auto parsed = grammar::parse(out_.sources[index].text, index, parse_options);
    for (auto& d : parsed.diagnostics) {
      out_.diagnostics.push_back({Severity::kError, d.code, d.message, d.help, d.span, true});
    }
    if (!parsed.file) return;
    chain.push_back(key);
    follow_imports(*parsed.file, key, stdlib, chain);
    out_.files.push_back({index, std::move(*parsed.file), stdlib});
  }

  void follow_imports(const syntax::File& tree, const std::string& key, bool stdlib,
                      const std::vector<std::string>& chain) {
    for (const auto& decl : tree.decls) {
      if (const auto* use = std::get_if<syntax::UseDecl>(&decl)) {
        load_stdlib(*use, chain);
      } else if (const auto* import = std::get_if<syntax::ImportDecl>(&decl)) {
        if (stdlib) {
          error(import->span, "import-in-stdlib", "standard-library modules may only `use` other modules", "");
          continue;
        }
        load_import(*import, key, chain);
      }
    }
  }

  void load_stdlib(const syntax::UseDecl& use, const std::vector<std::string>& chain) {
    const std::string key = "<stdlib>/" + use.module.text + ".edict";
    if (check_cycle(key, use.span, chain)) return;
    if (index_by_key_.count(key)) return;
    std::vector<std::string> names;
    for (const auto& [name, text] : detail::stdlib_modules()) {
      if (name == use.module.text) {
        if (!within_limits(0, use.span, key)) return;  // built in: its bytes are not counted
        load_text(key, key, std::string(text), true, chain);
        return;
      }
      names.emplace_back(name);
    }
    error(use.module.span, "unknown-module", fmt::format("no standard-library module named `{}`", use.module.text),
          source::did_you_mean(use.module.text, names));
  }

  void load_import(const syntax::ImportDecl& import, const std::string& key,
                   const std::vector<std::string>& chain) {
    const std::string base = fs::path(key).parent_path().string();
    const auto resolved = resolve_inside_root(base, import.path.value, root_, "import");
    if (!resolved.ok()) {
      import_error(import, resolved.problem);
      return;
    }
    const std::string& target = resolved.path;
    if (check_cycle(target, import.span, chain)) return;
    if (index_by_key_.count(target)) return;
    auto text = options_.read_file ? read_with(options_.read_file, target)
                                   : read_file_text(target, limits_.source_file_bytes);
    if (!text.ok()) {
      import_error(import, text.problem);
      return;
    }
    if (!within_limits(text.text.size(), import.span, target)) return;
    load_text(target, target, std::move(text.text), false, chain);
  }

  static FileText read_with(const std::function<std::optional<std::string>(const std::string&)>& reader,
                            const std::string& path) {
    FileText out;
    auto text = reader(path);
    if (text) {
      out.text = std::move(*text);
    } else {
      out.problem = {"file-not-found", fmt::format("cannot read `{}`: no such file", path)};
    }
    return out;
  }

  // The file rules' problems under the import codes of LANGUAGE.md section 7.
  void import_error(const syntax::ImportDecl& import, const FileProblem& problem) {
    if (problem.code == "file-too-large") {
      error(import.path.span, "limit-exceeded", problem.message, "Limits::source_file_bytes bounds one policy file");
    } else if (problem.code == "file-outside-root") {
      error(import.path.span, "import-outside-root", problem.message,
            "imports must stay inside the directory of the policy");
    } else if (problem.code == "file-not-found") {
      error(import.path.span, "import-not-found", problem.message, "");
    } else {
      error(import.path.span, "import-unreadable", problem.message, "only regular files can be imported");
    }
  }

  bool check_cycle(const std::string& key, syntax::Span span, const std::vector<std::string>& chain) {
    for (std::size_t i = 0; i < chain.size(); ++i) {
      if (chain[i] != key) continue;
      std::string cycle;
      for (std::size_t j = i; j < chain.size(); ++j) cycle += fmt::format("`{}` -> ", chain[j]);
      cycle += fmt::format("`{}`", key);
      error(span, "import-cycle", "import cycle", "the cycle is " + cycle);
      return true;
    }
    return false;
  }

  // Limits::imported_files and Limits::total_source_bytes, before loading one more file of `bytes` bytes
  // (`span`: the `import` or `use`; for a root file, no location). Reported once.
  bool within_limits(std::size_t bytes, std::optional<syntax::Span> span, const std::string& path) {
    if (limit_reported_) return false;
    std::string message;
    if (out_.sources.size() >= limits_.imported_files) {
      message = fmt::format("loading `{}` would make more than {} policy files", path, limits_.imported_files);
    } else if (bytes > limits_.total_source_bytes - std::min(total_bytes_, limits_.total_source_bytes)) {
      message = fmt::format("loading `{}` ({} bytes) would make the policy's files larger than {} bytes in all",
                            path, bytes, limits_.total_source_bytes);
    } else {
      total_bytes_ += bytes;
      return true;
    }
    limit_reported_ = true;
    out_.diagnostics.push_back({Severity::kError, "limit-exceeded", std::move(message), {},
                                span.value_or(syntax::Span{}), span.has_value()});
    return false;
  }

  void error(syntax::Span span, std::string code, std::string message, std::string help) {
    out_.diagnostics.push_back({Severity::kError, std::move(code), std::move(message), std::move(help), span, true});
  }

  const CompileOptions& options_;
  const Limits limits_;
  std::string root_;
  std::size_t total_bytes_ = 0;  // of the files loaded so far (standard-library modules not counted)
  bool limit_reported_ = false;
  Loaded out_;
  std::unordered_map<std::string, std::uint32_t> index_by_key_;
};

}  // namespace

std::string policy_root(const std::vector<SourceFile>& roots, const CompileOptions& options) {
  fs::path root = options.root;
  if (root.empty()) root = fs::path(roots.front().path).lexically_normal().parent_path();
  if (root.empty()) root = fs::path(".");
  return root.string();
}

Loaded load(const std::vector<SourceFile>& roots, const CompileOptions& options) {
  const auto root = policy_root(roots, options);
  Loader loader(options, root);
  for (const auto& file : roots) loader.load_root(file);
  auto loaded = loader.take();
  loaded.root = root;
  return loaded;
}

}  // namespace edict::sema
