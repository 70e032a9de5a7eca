// The witness report as text and JSON (`edict diff --witnesses`). The text is written for a reviewer: what
// changed between the rulebooks, then the regions whose decision changed, largest first, each in a few
// lines, then those whose values changed with the same decision; the classification-only regions and the
// trace diffs are behind `detail`.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/json_writer.hpp"
#include "edict/diff.hpp"
#include "edict/render.hpp"
#include "edict/witness.hpp"
#include "witness/search.hpp"

namespace edict {

namespace {

std::string percent(std::size_t part, std::size_t whole) {
  if (whole == 0) return "0%";
  const auto tenths = (part * 1000 + whole / 2) / whole;
  return fmt::format("{}.{}%", tenths / 10, tenths % 10);
}

// The regions of each change_kind: decision, values, classifications only.
struct KindCounts {
  std::size_t of[3] = {0, 0, 0};
  explicit KindCounts(const WitnessReport& report) {
    for (const auto& w : report.witnesses) ++of[change_kind(w)];
  }
  // "3 change the decision, 1 change values only, 2 only the classifications" (values left out when none).
  std::string text(const char* decision, const char* values, const char* classes) const {
    return fmt::format("{} {}{}, {} {}", of[0], decision, of[1] ? fmt::format(", {} {}", of[1], values) : "", of[2],
                       classes);
  }
};

std::string header(const WitnessReport& report) {
  std::size_t changed_cases = 0;
  for (const auto& w : report.witnesses) changed_cases += w.cases;
  std::string dates;
  for (std::size_t i = 0; i < report.as_of_dates.size(); ++i) {
    if (i == 8) {
      dates += fmt::format(", and {} more", report.as_of_dates.size() - i);
      break;
    }
    dates += (i ? ", " : "") + report.as_of_dates[i].to_string();
  }
  std::string out = fmt::format(
      "{} regions where OLD and NEW disagree: {}\n"
      "{} candidate cases evaluated on {} date{} ({}); {} of them changed\n",
      report.witnesses.size(),
      KindCounts(report).text("change the decision", "change values only", "only the classifications"),
      report.evaluations,
      report.as_of_dates.size(), report.as_of_dates.size() == 1 ? "" : "s", dates, changed_cases);
  if (report.truncated) {
    out += fmt::format("search cut at the evaluation bound ({} of {} cases): {}\n", report.evaluations,
                       report.candidate_cases == SIZE_MAX ? std::string("more than 2^64")
                                                          : std::to_string(report.candidate_cases),
                       report.cut);
    out += "every region found before the cut is listed; to widen: " + report.widen + "\n";
  }
  return out;
}

// Every change between the rulebooks: its short key in the summary, its full sentence in the detail.
std::string changes_text(const WitnessReport& report, bool detail) {
  if (report.changes.empty()) return {};
  std::string out = fmt::format("\nWhat changed between the rulebooks ({}):\n", report.changes.size());
  if (detail) {
    for (const auto& c : report.changes) out += "  - " + c.text + "\n";
    return out;
  }
  // By amendment, each change by its short key; group and parameter changes (no amendment) with their dates.
  std::map<std::string, std::vector<const RulebookChange*>> by;
  for (const auto& c : report.changes) by[c.defined_by].push_back(&c);
  for (const auto& [amendment, changes] : by) {
    if (!amendment.empty()) out += "  by " + amendment + ":\n";
    for (const auto* c : changes) out += "  - " + (amendment.empty() ? c->text : c->key) + "\n";
  }
  return out;
}

// The summary's unit: the regions with the same transition (decisions and classifications on both sides, and
// the states of the outputs that change: transition_key).
// Shown by its primary region: the one with the fewest causes (the change itself rather than its
// combination with another), then the largest; its causes are those of all its regions.
struct Group {
  std::vector<const Witness*> regions;
  std::size_t cases = 0;
  const Witness* primary = nullptr;
  std::vector<std::string> causes;
};

// The groups of the regions of one change_kind.
std::vector<Group> groups_of_kind(const WitnessReport& report, int kind) {
  std::vector<Group> groups;
  std::map<std::string, std::size_t> index;
  for (const auto& w : report.witnesses) {
    if (change_kind(w) != kind) continue;
    const auto [it, fresh] = index.emplace(witness::transition_key(w), groups.size());
    if (fresh) groups.emplace_back();
    auto& g = groups[it->second];
    g.regions.push_back(&w);
    g.cases += w.cases;
    const auto better = [](const Witness& a, const Witness& b) {
      if (a.cause.size() != b.cause.size()) return a.cause.size() < b.cause.size();
      if (a.representative.empty() != b.representative.empty()) return !a.representative.empty();
      return a.cases > b.cases;
    };
    if (g.primary == nullptr || better(w, *g.primary)) g.primary = &w;
    for (const auto& c : w.cause) {
      if (std::find(g.causes.begin(), g.causes.end(), c) == g.causes.end()) g.causes.push_back(c);
    }
  }
  for (auto& g : groups) std::sort(g.causes.begin(), g.causes.end());
  std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) { return a.cases > b.cases; });
  return groups;
}

std::string group_text(const Group& g, std::size_t n, std::size_t changed_cases) {
  const auto& w = *g.primary;
  std::string out = fmt::format("\n[{}] {}  ({} of the changed cases{})\n", n, w.transition,
                                percent(g.cases, changed_cases),
                                g.regions.size() == 1 ? "" : fmt::format(", {} regions", g.regions.size()));
  if (!w.where.empty()) out += "  where " + w.where + "\n";
  std::string because;
  for (const auto& c : g.causes) because += (because.empty() ? "" : ", ") + c;
  if (!because.empty()) out += "  because of: " + because + "\n";
  const auto who = w.representative.empty() ? std::string() : " (" + w.representative + ")";
  out += fmt::format("  witness{}, as of {}: {}\n", who, w.as_of.to_string(), facts_to_json(w.facts));
  return out;
}

// One region in a few lines: the transition and its share, the conditions, the causes, the witness.
std::string region_text(const Witness& w, std::size_t n, std::size_t changed_cases, bool detail) {
  std::string out = fmt::format("\n[{}] {}  ({} of the changed cases)\n", n, w.transition, percent(w.cases, changed_cases));
  if (!w.where.empty()) out += "  where " + w.where + "\n";
  std::string because;
  for (const auto& c : w.cause) because += (because.empty() ? "" : ", ") + c;
  if (!because.empty()) out += "  because of: " + because + "\n";
  if (detail) {
    for (const auto& c : w.changes) out += "  changed: " + c + "\n";
  }
  const auto who = w.representative.empty() ? std::string() : " (" + w.representative + ")";
  out += fmt::format("  witness{}, as of {}: {}\n", who, w.as_of.to_string(), facts_to_json(w.facts));
  if (detail) {
    out += fmt::format("    OLD: {}\n    NEW: {}\n", result_summary(w.old_result), result_summary(w.new_result));
    if (w.old_result.trace && w.new_result.trace) {
      out += "  trace diff (- OLD only, + NEW only, ~ changed: OLD | NEW):\n";
      out += render_trace_diff_text(diff_traces(*w.old_result.trace, *w.new_result.trace), "    ");
    }
  }
  return out;
}

}  // namespace

std::string render_witnesses_text(const WitnessReport& report, const WitnessTextOptions& options) {
  std::string out = header(report) + changes_text(report, options.detail);
  std::size_t changed_cases = 0;
  for (const auto& w : report.witnesses) changed_cases += w.cases;
  if (!options.detail) {
    // The summary: decision changes, then value changes (a changed rate matters as much as a decision).
    static const char* const kHeadings[2] = {
        "\nDecision changes, largest first (the regions of one transition together):\n",
        "\nValue changes with the same decision, largest first (the regions of one transition together):\n"};
    std::size_t shown = 0, hidden = 0;
    for (const int kind : {0, 1}) {
      const auto groups = groups_of_kind(report, kind);
      for (std::size_t i = 0; i < groups.size(); ++i) {
        if (shown == options.max_regions) {
          hidden += groups.size() - i;
          break;
        }
        if (i == 0) out += kHeadings[kind];
        out += group_text(groups[i], ++shown, changed_cases);
      }
    }
    out += fmt::format("\n{}{} regions in all ({}); each with its trace diff: --detail\n",
                       hidden ? fmt::format("{} more transitions not shown; ", hidden) : "", report.witnesses.size(),
                       KindCounts(report).text("decision changes", "value changes", "classification-only"));
    return out;
  }
  static const char* const kSections[3] = {"\nDecision changes, largest first:\n",
                                           "\nValue changes with the same decision, largest first:\n",
                                           "\nClassification-only changes, largest first:\n"};
  for (std::size_t i = 0; i < report.witnesses.size(); ++i) {
    const auto kind = change_kind(report.witnesses[i]);
    if (i == 0 || kind != change_kind(report.witnesses[i - 1])) out += kSections[kind];
    out += region_text(report.witnesses[i], i + 1, changed_cases, options.detail);
  }
  return out;
}

std::string render_witnesses_json(const WitnessReport& report) {
  std::string out = fmt::format("{{\"evaluations\":{},\"candidate_cases\":{},\"truncated\":{}", report.evaluations,
                                report.candidate_cases, report.truncated ? "true" : "false");
  if (report.truncated) out += ",\"cut\":" + json_quote(report.cut) + ",\"widen\":" + json_quote(report.widen);
  out += ",\"as_of_dates\":[";
  for (std::size_t i = 0; i < report.as_of_dates.size(); ++i) {
    out += fmt::format("{}\"{}\"", i ? "," : "", report.as_of_dates[i].to_string());
  }
  out += "],\"changes\":[";
  for (std::size_t i = 0; i < report.changes.size(); ++i) {
    const auto& c = report.changes[i];
    out += fmt::format("{}{{\"subject\":{},\"key\":{},\"text\":{}}}", i ? "," : "", json_quote(c.subject),
                       json_quote(c.key), json_quote(c.text));
  }
  out += "],\"witnesses\":[";
  for (std::size_t i = 0; i < report.witnesses.size(); ++i) {
    const auto& w = report.witnesses[i];
    std::string causes, changes;
    core::append_json_strings(causes, w.cause);
    core::append_json_strings(changes, w.changes);
    out += fmt::format(
        "{}{{\"region\":{},\"transition\":{},\"decision_changed\":{},\"values_changed\":{},\"cases\":{},\"where\":{},\"causes\":{},"
        "\"changes\":{},\"representative\":{},\"as_of\":\"{}\",\"facts\":{},\"old\":{},\"new\":{}}}",
        i ? "," : "", json_quote(w.region), json_quote(w.transition), w.decision_changed ? "true" : "false",
        w.values_changed ? "true" : "false", w.cases,
        json_quote(w.where), causes, changes, json_quote(w.representative), w.as_of.to_string(),
        facts_to_json(w.facts), render_json(w.old_result), render_json(w.new_result));
  }
  return out + "]}";
}

}  // namespace edict
