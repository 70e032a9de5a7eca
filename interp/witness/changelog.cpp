// A rulebook's history as a reviewer reads it (edict::changelog): for each publication date of an amendment,
// in order, what it changed (compare_rulebooks against the rulebook of the day before) and the regions whose
// decisions or values it changed (a witness search between the two rulebooks).
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "api/internals.hpp"
#include "core/json_writer.hpp"
#include "eval/rulebook.hpp"
#include "edict/render.hpp"
#include "edict/witness.hpp"

namespace edict {

namespace {

// Every date on which an amendment was published: the first day of a rulebook that differs from the one before.
std::set<Date> publication_dates(const CompiledProgram& p) {
  std::set<Date> out;
  auto add = [&](Date d) {
    if (d != Date::min() && d != Date::max()) out.insert(d);
  };
  for (const auto& e : p.entities) {
    for (const auto& v : e.versions) {
      add(v.known_from);
      add(v.known_until);
    }
  }
  for (const auto& g : p.groups) {
    for (const auto& evs : g.enum_events) for (const auto& ev : evs) add(ev.known_from);
    for (const auto& evs : g.entry_events) for (const auto& ev : evs) add(ev.known_from);
  }
  for (const auto& param : p.parameters) {
    for (const auto& st : param.steps) {
      add(st.known_from);
      add(st.known_until);
    }
  }
  return out;
}

}  // namespace

std::vector<ChangelogEntry> changelog(const Policy& policy, const ChangelogOptions& options) {
  std::vector<Date> dates;
  for (const auto d : publication_dates(program_of(policy))) {
    if ((options.from && d < *options.from) || (options.to && d > *options.to)) continue;
    dates.push_back(d);
  }
  std::vector<ChangelogEntry> out;
  for (const auto d : dates) {
    if (options.starting) options.starting(out.size() + 1, dates.size(), d);
    ChangelogEntry entry;
    entry.published = d;
    const auto before = Date::from_days(d.days() - 1);
    entry.changes = compare_rulebooks(policy, policy, before, d);
    std::set<std::string> by;
    for (const auto& c : entry.changes) {
      if (!c.defined_by.empty()) by.insert(c.defined_by);
    }
    entry.amendments.assign(by.begin(), by.end());
    WitnessOptions wo = options.search;
    wo.old_rules_as_of = before;
    wo.new_rules_as_of = d;
    entry.regions = find_witnesses(policy, policy, wo);
    std::erase_if(entry.regions.witnesses, [](const Witness& w) { return change_kind(w) == 2; });
    out.push_back(std::move(entry));
  }
  return out;
}

std::string render_changelog_text(const std::vector<ChangelogEntry>& entries, std::size_t max_regions) {
  std::string out = fmt::format("{} amendment dates\n", entries.size());
  for (const auto& e : entries) {
    out += fmt::format("\n== published {}", e.published.to_string());
    for (const auto& a : e.amendments) out += fmt::format("\n   {}", a);
    out += "\n";
    // The amendment is named above: a rule's change by its short key; groups and parameters with their dates.
    for (const auto& c : e.changes) {
      const bool dated = c.kind == RulebookChange::Kind::kGroup || c.kind == RulebookChange::Kind::kParameter;
      out += "  - " + (dated ? c.text : c.key) + "\n";
    }
    const auto& ws = e.regions.witnesses;
    const auto values = static_cast<std::size_t>(
        std::count_if(ws.begin(), ws.end(), [](const Witness& w) { return change_kind(w) == 1; }));
    const auto decisions = ws.size() - values;
    out += fmt::format("  {} decision-change region{}{}{}\n", decisions, decisions == 1 ? "" : "s",
                       values ? fmt::format(", {} value-change region{}", values, values == 1 ? "" : "s") : "",
                       e.regions.truncated ? " (search cut at its bound: " + e.regions.cut + ")" : "");
    for (std::size_t i = 0; i < ws.size() && i < max_regions; ++i) {
      const auto& w = ws[i];
      out += fmt::format("    [{}] {}\n", i + 1, w.transition);
      if (!w.where.empty()) out += "        where " + w.where + "\n";
      std::string because;
      for (const auto& c : w.cause) because += (because.empty() ? "" : ", ") + c;
      if (!because.empty()) out += "        because of: " + because + "\n";
      const auto who = w.representative.empty() ? std::string() : " (" + w.representative + ")";
      out += fmt::format("        witness{}, as of {}: {}\n", who, w.as_of.to_string(), facts_to_json(w.facts));
    }
    if (ws.size() > max_regions) out += fmt::format("    ... and {} more\n", ws.size() - max_regions);
  }
  return out;
}

std::string render_changelog_json(const std::vector<ChangelogEntry>& entries) {
  std::string out = "{\"dates\":[";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    std::string amendments;
    core::append_json_strings(amendments, e.amendments);
    out += fmt::format("{}{{\"published\":\"{}\",\"amendments\":{},\"changes\":[", i ? "," : "",
                       e.published.to_string(), amendments);
    for (std::size_t k = 0; k < e.changes.size(); ++k) {
      const auto& c = e.changes[k];
      out += fmt::format("{}{{\"subject\":{},\"key\":{},\"text\":{}}}", k ? "," : "", json_quote(c.subject),
                         json_quote(c.key), json_quote(c.text));
    }
    out += "],\"regions\":" + render_witnesses_json(e.regions) + "}";
  }
  return out + "]}";
}

}  // namespace edict
