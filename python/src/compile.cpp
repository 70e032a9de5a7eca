// Compiling from Python: paths or sources in, a policy or diagnostics (as objects) out; and the text bundle
// that compiles the same policy in another process (a Dask worker), checked by the policy's digest.
#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "common.hpp"
#include "edict/diagnostic.hpp"
#include "edict/files.hpp"

namespace edict_py {

namespace {

namespace fs = std::filesystem;

using SourceList = std::vector<std::pair<std::string, std::string>>;

// ---- the files a list of paths stands for, as compile_paths reads them ----

fs::path directory_of(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::path(path).lexically_normal();
  if (!fs::is_directory(p, ec)) p = p.parent_path();
  return p.empty() ? fs::path(".") : p;
}

bool inside(const fs::path& path, const fs::path& dir) {
  const auto relative = path.lexically_relative(dir);
  return !relative.empty() && *relative.begin() != "..";
}

// The root compile_paths uses: the common directory of the inputs ("" = the directory of the first file).
std::string common_root(const std::vector<std::string>& inputs) {
  std::error_code ec;
  const bool first_is_dir = fs::is_directory(inputs.front(), ec);
  fs::path root = directory_of(inputs.front());
  for (std::size_t i = 1; i < inputs.size(); ++i) {
    const auto dir = directory_of(inputs[i]);
    while (!inside(dir, root) && dir != root && root != "." && !root.empty()) root = root.parent_path();
    if (root.empty()) root = ".";
  }
  if (first_is_dir || root != directory_of(inputs.front())) return root.string();
  return {};
}

// A file below a directory, in a folder named `tests`: compile_paths leaves these out (a policy's tests).
bool in_tests_folder(const std::string& file, const std::string& dir) {
  const auto relative = fs::path(file).lexically_relative(dir).parent_path();
  return std::any_of(relative.begin(), relative.end(), [](const fs::path& part) { return part == "tests"; });
}

// The root files compile_paths reads for `inputs` (its rules mirrored here: the policy's digest, compared in
// ship(), proves that they are the same files).
std::vector<edict::SourceFile> read_root_files(const std::vector<std::string>& inputs) {
  std::vector<std::string> paths;
  for (const auto& input : inputs) {
    std::error_code ec;
    std::vector<std::string> found;
    if (fs::is_directory(input, ec)) {
      for (auto& file : edict::list_policy_files(input).files) {
        if (!in_tests_folder(file, input)) found.push_back(std::move(file));
      }
    } else {
      found.push_back(input);
    }
    for (const auto& f : found) {
      const auto normal = fs::path(f).lexically_normal().string();
      if (std::find(paths.begin(), paths.end(), normal) == paths.end()) paths.push_back(normal);
    }
  }
  std::vector<edict::SourceFile> files;
  for (const auto& path : paths) {
    auto text = edict::read_file_text(path, edict::Limits{}.source_file_bytes);
    if (!text.ok()) throw std::runtime_error("cannot read the policy again to ship it: " + text.problem.message);
    files.push_back({path, std::move(text.text)});
  }
  return files;
}

// ---- import readers (CompileOptions::read_file) ----

// Reads imports from disk and keeps a copy of each in `imports`, for the bundle.
edict::CompileOptions::FileReader recording_reader(std::vector<edict::SourceFile>& imports) {
  return [&imports](const std::string& path) -> std::optional<std::string> {
    auto text = edict::read_file_text(path, edict::Limits{}.source_file_bytes);
    if (!text.ok()) return std::nullopt;
    imports.push_back({path, text.text});
    return std::move(text.text);
  };
}

// Serves imports from a bundle's texts only.
edict::CompileOptions::FileReader shipped_reader(const std::vector<edict::SourceFile>& imports) {
  return [&imports](const std::string& path) -> std::optional<std::string> {
    for (const auto& file : imports) {
      if (file.path == path) return file.text;
    }
    return std::nullopt;
  };
}

// ---- from Python ----

std::vector<edict::SourceFile> to_sources(const SourceList& list) {
  std::vector<edict::SourceFile> sources;
  for (const auto& [path, text] : list) sources.push_back({path, text});
  return sources;
}

SourceList to_list(const std::vector<edict::SourceFile>& sources) {
  SourceList list;
  for (const auto& s : sources) list.emplace_back(s.path, s.text);
  return list;
}

py::tuple compile_result(edict::CompileResult result, std::vector<std::string> paths,
                         std::vector<edict::SourceFile> sources, const py::object& rules_as_of) {
  py::object handle = py::none();
  if (result.ok()) {
    auto h = make_handle(std::move(result.policy));
    h->paths = std::move(paths);
    h->sources = std::move(sources);
    h->rules_as_of = optional_date(rules_as_of, "rules_as_of");
    handle = py::cast(h);
  }
  return py::make_tuple(handle, py::cast(result.diagnostics));
}

py::tuple compile_paths(const std::vector<std::string>& paths, const py::object& rules_as_of) {
  edict::CompileResult result;
  {
    py::gil_scoped_release release;
    result = edict::compile_paths(paths);
  }
  return compile_result(std::move(result), paths, {}, rules_as_of);
}

py::tuple compile_sources(const SourceList& list, const std::string& root, const py::object& rules_as_of) {
  auto sources = to_sources(list);
  edict::CompileResult result;
  {
    py::gil_scoped_release release;
    edict::CompileOptions options;
    options.root = root;
    result = edict::compile(sources, options);
  }
  return compile_result(std::move(result), {}, std::move(sources), rules_as_of);
}

// What compiles this policy elsewhere: its root files and every file they import, as text, and the digest that
// the compiled copy must have. Compiling the texts again here records the imports and proves the bundle.
py::dict ship(const PolicyHandle& handle) {
  std::vector<edict::SourceFile> files = handle.sources, imports;
  edict::CompileOptions options;
  {
    py::gil_scoped_release release;
    if (!handle.paths.empty()) {
      files = read_root_files(handle.paths);
      options.root = common_root(handle.paths);
    }
    options.read_file = recording_reader(imports);
    const auto again = edict::compile(files, options);
    if (!again.ok() || again.policy->digest() != handle.policy->digest()) {
      throw std::runtime_error(
          "cannot ship the policy as text: its files, read again, do not compile to the same digest (were they "
          "changed since it was compiled?); compile it again");
    }
  }
  py::dict bundle;
  bundle["root"] = options.root;
  bundle["files"] = to_list(files);
  bundle["imports"] = to_list(imports);
  bundle["digest"] = handle.policy->digest();
  return bundle;
}

std::shared_ptr<PolicyHandle> compile_shipped(const py::dict& bundle, const py::object& rules_as_of) {
  const auto files = to_sources(bundle["files"].cast<SourceList>());
  const auto imports = to_sources(bundle["imports"].cast<SourceList>());
  const auto digest = bundle["digest"].cast<std::string>();
  edict::CompileOptions options;
  options.root = bundle["root"].cast<std::string>();
  options.read_file = shipped_reader(imports);
  edict::CompileResult result;
  {
    py::gil_scoped_release release;
    result = edict::compile(files, options);
  }
  if (!result.ok()) {
    throw std::runtime_error("the shipped policy does not compile:\n" + edict::render_all(result.diagnostics));
  }
  if (result.policy->digest() != digest) {
    throw std::runtime_error("the shipped policy compiled to digest " + result.policy->digest() + ", not " + digest);
  }
  auto handle = make_handle(std::move(result.policy));
  handle->sources = files;
  handle->rules_as_of = optional_date(rules_as_of, "rules_as_of");
  return handle;
}

const char* severity_name(edict::Severity severity) {
  return severity == edict::Severity::kError ? "error" : "warning";
}

void bind_diagnostic(py::module_& m) {
  py::class_<edict::Diagnostic>(m, "Diagnostic", "A compile error or warning, located in the policy's text.")
      .def_property_readonly("severity", [](const edict::Diagnostic& d) { return severity_name(d.severity); })
      .def_readonly("code", &edict::Diagnostic::code, "stable identifier, e.g. \"unknown-name\"")
      .def_readonly("message", &edict::Diagnostic::message)
      .def_readonly("help", &edict::Diagnostic::help)
      .def_readonly("file", &edict::Diagnostic::file)
      .def_readonly("line", &edict::Diagnostic::line, "1-based; 0 when the diagnostic has no location")
      .def_readonly("column", &edict::Diagnostic::column, "1-based, in bytes")
      .def_readonly("end_column", &edict::Diagnostic::end_column)
      .def("__str__", [](const edict::Diagnostic& d) { return edict::render(d); })
      .def("__repr__", [](const edict::Diagnostic& d) {
        return "<Diagnostic " + std::string(severity_name(d.severity)) + "[" + d.code + "] " + d.file + ":" +
               std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message + ">";
      });
}

}  // namespace

void bind_compile(py::module_& m) {
  bind_diagnostic(m);
  m.def("render_diagnostics", [](const std::vector<edict::Diagnostic>& d) { return edict::render_all(d); });
  m.def("_compile_paths", &compile_paths, py::arg("paths"), py::arg("rules_as_of") = py::none());
  m.def("_compile_sources", &compile_sources, py::arg("sources"), py::arg("root") = std::string(),
        py::arg("rules_as_of") = py::none());
  m.def("_ship", &ship, py::arg("policy"));
  m.def("_compile_shipped", &compile_shipped, py::arg("bundle"), py::arg("rules_as_of") = py::none());
}

}  // namespace edict_py
