// Sessions through the C ABI: the per-thread hot path (decide) and the full result of facts built in code.
#include <string>
#include <string_view>
#include <vector>

#include "capi/dates.hpp"
#include "capi/errors.hpp"
#include "capi/handles.hpp"
#include "capi/results.hpp"

namespace {

// Copies views into `strings`, reusing the strings' capacity (no allocation once warmed up).
void copy_views(const std::vector<std::string_view>& views, std::vector<std::string>& strings) {
  strings.resize(views.size());
  for (std::size_t i = 0; i < views.size(); ++i) strings[i].assign(views[i]);
}

void copy_decision(const edict::Decision& from, edict_decision& to) {
  to.outcome.assign(from.decision);
  to.indeterminate = from.indeterminate;
  copy_views(from.classifications, to.classifications);
  copy_views(from.deciding_rules, to.deciding_rules);
  copy_views(from.exemptions, to.exemptions);
}

edict_status status_of(const edict::Decision& decision, char** error) {
  if (decision.ok) return EDICT_OK;
  const std::string message = decision.errors != nullptr ? edict::capi::join_lines(*decision.errors) : "";
  return edict::capi::fail(decision.limit_exceeded ? EDICT_ERROR_LIMIT : EDICT_ERROR_FACTS, error, message);
}

const char* item(const std::vector<std::string>& items, std::size_t index) {
  return index < items.size() ? items[index].c_str() : nullptr;
}

// Checks the session and facts handles and reads the evaluation options.
edict_status prepare(edict_session* session, const edict_facts* facts, const char* as_of, const char* rules_as_of,
                     int trace, edict::EvalOptions& options, char** error) {
  if (const auto s = edict::capi::require(session, "session", error); s != EDICT_OK) return s;
  if (const auto s = edict::capi::require(facts, "facts", error); s != EDICT_OK) return s;
  return edict::capi::read_eval_options(as_of, rules_as_of, trace, options, error);
}

// Checks the session and a frame of its policy, and reads the evaluation options.
edict_status prepare_frame(edict_session* session, const edict_frame* frame, const char* as_of,
                           const char* rules_as_of, int trace, edict::EvalOptions& options, char** error) {
  if (const auto s = edict::capi::require(session, "session", error); s != EDICT_OK) return s;
  if (const auto s = edict::capi::require(frame, "frame", error); s != EDICT_OK) return s;
  if (frame->policy != session->policy) {
    return edict::capi::fail(EDICT_ERROR_ARGUMENT, error, "the frame was made for another policy than the session's");
  }
  return edict::capi::read_eval_options(as_of, rules_as_of, trace, options, error);
}

}  // namespace

extern "C" edict_status edict_session_new(const edict_policy* policy, edict_session** out, char** error) noexcept {
  return edict::capi::guarded(error, [&] {
    if (const auto s = edict::capi::require(out, "out", error); s != EDICT_OK) return s;
    *out = nullptr;
    if (const auto s = edict::capi::require(policy, "policy", error); s != EDICT_OK) return s;
    *out = new edict_session(policy->policy);
    return EDICT_OK;
  });
}

extern "C" void edict_session_free(edict_session* session) noexcept { delete session; }

extern "C" edict_status edict_session_decide(edict_session* session, const edict_facts* facts, const char* as_of,
                                            const char* rules_as_of, const edict_decision** out,
                                            char** error) noexcept {
  return edict::capi::guarded(error, [&] {
    if (const auto s = edict::capi::require(out, "out", error); s != EDICT_OK) return s;
    *out = nullptr;
    edict::EvalOptions options;
    if (const auto s = prepare(session, facts, as_of, rules_as_of, 0, options, error); s != EDICT_OK) return s;
    const edict::Decision& decision = session->session.decide(facts->facts, options);
    if (const auto s = status_of(decision, error); s != EDICT_OK) return s;
    copy_decision(decision, session->decision);
    *out = &session->decision;
    return EDICT_OK;
  });
}

extern "C" edict_status edict_session_evaluate_json(edict_session* session, const edict_facts* facts,
                                                   const char* as_of, const char* rules_as_of, int trace,
                                                   char** out_json, char** error) noexcept {
  return edict::capi::guarded(error, [&] {
    if (const auto s = edict::capi::require(out_json, "out_json", error); s != EDICT_OK) return s;
    *out_json = nullptr;
    edict::EvalOptions options;
    if (const auto s = prepare(session, facts, as_of, rules_as_of, trace, options, error); s != EDICT_OK) return s;
    return edict::capi::deliver_json(session->session.evaluate(facts->facts, options), out_json, error);
  });
}

extern "C" edict_status edict_session_decide_frame(edict_session* session, const edict_frame* frame,
                                                  const char* as_of, const char* rules_as_of,
                                                  const edict_decision** out, char** error) noexcept {
  return edict::capi::guarded(error, [&] {
    if (const auto s = edict::capi::require(out, "out", error); s != EDICT_OK) return s;
    *out = nullptr;
    edict::EvalOptions options;
    if (const auto s = prepare_frame(session, frame, as_of, rules_as_of, 0, options, error); s != EDICT_OK) return s;
    const edict::Decision& decision = session->session.decide(frame->frame, options);
    if (const auto s = status_of(decision, error); s != EDICT_OK) return s;
    copy_decision(decision, session->decision);
    *out = &session->decision;
    return EDICT_OK;
  });
}

extern "C" edict_status edict_session_evaluate_frame_json(edict_session* session, const edict_frame* frame,
                                                         const char* as_of, const char* rules_as_of, int trace,
                                                         char** out_json, char** error) noexcept {
  return edict::capi::guarded(error, [&] {
    if (const auto s = edict::capi::require(out_json, "out_json", error); s != EDICT_OK) return s;
    *out_json = nullptr;
    edict::EvalOptions options;
    if (const auto s = prepare_frame(session, frame, as_of, rules_as_of, trace, options, error); s != EDICT_OK) {
      return s;
    }
    return edict::capi::deliver_json(session->session.evaluate(frame->frame, options), out_json, error);
  });
}

extern "C" const char* edict_decision_outcome(const edict_decision* decision) noexcept {
  return decision != nullptr ? decision->outcome.c_str() : nullptr;
}

extern "C" int edict_decision_indeterminate(const edict_decision* decision) noexcept {
  return decision != nullptr && decision->indeterminate ? 1 : 0;
}

extern "C" size_t edict_decision_classification_count(const edict_decision* decision) noexcept {
  return decision != nullptr ? decision->classifications.size() : 0;
}

extern "C" const char* edict_decision_classification(const edict_decision* decision, size_t index) noexcept {
  return decision != nullptr ? item(decision->classifications, index) : nullptr;
}

extern "C" size_t edict_decision_deciding_rule_count(const edict_decision* decision) noexcept {
  return decision != nullptr ? decision->deciding_rules.size() : 0;
}

extern "C" const char* edict_decision_deciding_rule(const edict_decision* decision, size_t index) noexcept {
  return decision != nullptr ? item(decision->deciding_rules, index) : nullptr;
}

extern "C" size_t edict_decision_exemption_count(const edict_decision* decision) noexcept {
  return decision != nullptr ? decision->exemptions.size() : 0;
}

extern "C" const char* edict_decision_exemption(const edict_decision* decision, size_t index) noexcept {
  return decision != nullptr ? item(decision->exemptions, index) : nullptr;
}
