/* The C ABI (edict/edict.h) from a C11 program: compile, facts, evaluate, decide, batch, diagnostics, limits
 * and errors. Run from the repository root (ctest does). Every check prints what failed and the test exits
 * non-zero at the end; everything allocated is freed, so that LeakSanitizer checks the ownership rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edict/edict.h"

static int failures = 0;

#define CHECK(condition)                                                              \
  do {                                                                                \
    if (!(condition)) {                                                               \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
      ++failures;                                                                     \
    }                                                                                 \
  } while (0)

/* Checks that `status` is `expected`, printing the message otherwise; frees the message. */
#define CHECK_STATUS(status, expected, error)                                                           \
  do {                                                                                                  \
    edict_status check_status_ = (status);                                                              \
    if (check_status_ != (expected)) {                                                                  \
      fprintf(stderr, "%s:%d: got %s, expected %s: %s\n", __FILE__, __LINE__,                           \
              edict_status_name(check_status_), edict_status_name(expected), (error) ? (error) : "");  \
      ++failures;                                                                                       \
    }                                                                                                   \
  } while (0)

static int contains(const char* text, const char* part) { return text != NULL && strstr(text, part) != NULL; }

/* The whole file as a NUL-terminated string (caller frees with free), or NULL. */
static char* read_file(const char* path) {
  FILE* file = fopen(path, "rb");
  char* text = NULL;
  long size = 0;
  if (file == NULL) return NULL;
  if (fseek(file, 0, SEEK_END) == 0 && (size = ftell(file)) >= 0 && fseek(file, 0, SEEK_SET) == 0) {
    text = malloc((size_t)size + 1);
    if (text != NULL && fread(text, 1, (size_t)size, file) == (size_t)size) {
      text[size] = '\0';
    } else {
      free(text);
      text = NULL;
    }
  }
  fclose(file);
  return text;
}

/* The H800 facts file with destination.country = CN added (before the closing brace), or NULL. */
static char* h800_to_china_json(void) {
  static const char extra[] = ",\"destination\":{\"country\":\"CN\"}}";
  char* base = read_file("policies/ear/catalog/h800.json");
  char* json = NULL;
  char* end = base != NULL ? strrchr(base, '}') : NULL;
  if (end != NULL) {
    *end = '\0';
    json = malloc(strlen(base) + sizeof extra);
    if (json != NULL) {
      strcpy(json, base);
      strcat(json, extra);
    }
  }
  free(base);
  return json;
}

static edict_policy* compile_ear(const edict_compile_options* options) {
  edict_policy* policy = NULL;
  edict_diagnostics* diagnostics = NULL;
  char* error = NULL;
  edict_status status = edict_compile_path("policies/ear", options, &policy, &diagnostics, &error);
  CHECK_STATUS(status, EDICT_OK, error);
  CHECK(policy != NULL);
  CHECK(diagnostics != NULL);
  edict_string_free(error);
  edict_diagnostics_free(diagnostics);
  return policy;
}

static void test_version(void) {
  char expected[64];
  snprintf(expected, sizeof expected, "%d.%d.%d", edict_version_major(), edict_version_minor(),
           edict_version_patch());
  CHECK(strcmp(edict_version(), expected) == 0);
  CHECK(strcmp(edict_status_name(EDICT_ERROR_FACTS), "EDICT_ERROR_FACTS") == 0);
}

static void test_evaluate_json(const edict_policy* policy) {
  char* facts = h800_to_china_json();
  char* json = NULL;
  char* error = NULL;
  CHECK(facts != NULL);
  CHECK_STATUS(edict_evaluate_json(policy, facts, "2023-12-01", NULL, 0, &json, &error), EDICT_OK, error);
  CHECK(contains(json, "{\"decision\":\"license_required\","));
  CHECK(contains(json, "\"classifications\":[\"3A090.a\"]"));
  CHECK(contains(json, "\"as_of\":\"2023-12-01\",\"rules_as_of\":\"latest\""));
  CHECK(!contains(json, "\"trace\""));
  edict_string_free(json);
  /* With the trace, and a rulebook date. */
  CHECK_STATUS(edict_evaluate_json(policy, facts, "2023-12-01", "2023-12-01", 1, &json, &error), EDICT_OK, error);
  CHECK(contains(json, "\"trace\":"));
  CHECK(contains(json, "\"rules_as_of\":\"2023-12-01\""));
  edict_string_free(json);
  free(facts);
}

static void test_bad_facts(const edict_policy* policy) {
  char* json = NULL;
  char* error = NULL;
  /* Malformed JSON: no result, a message naming the position. */
  CHECK_STATUS(edict_evaluate_json(policy, "{\"product\": {\"tpp\": 1,]}", "2023-12-01", NULL, 0, &json, &error),
               EDICT_ERROR_FACTS, error);
  CHECK(json == NULL);
  CHECK(contains(error, "line 1, column 23"));
  edict_string_free(error);
  /* Well-formed facts that do not fit the schema: the error object as JSON and the message. */
  CHECK_STATUS(edict_evaluate_json(policy, "{\"product\": {\"tpp\": \"big\"}}", "2023-12-01", NULL, 0, &json, &error),
               EDICT_ERROR_FACTS, error);
  CHECK(contains(json, "{\"error\":{\"messages\":["));
  CHECK(contains(error, "`product.tpp`"));
  edict_string_free(json);
  edict_string_free(error);
}

static void test_bad_dates(const edict_policy* policy) {
  char* json = NULL;
  char* error = NULL;
  CHECK_STATUS(edict_evaluate_json(policy, "{}", NULL, NULL, 0, &json, &error), EDICT_ERROR_DATE, error);
  CHECK(json == NULL);
  CHECK(contains(error, "as_of"));
  edict_string_free(error);
  CHECK_STATUS(edict_evaluate_json(policy, "{}", "2023-02-30", NULL, 0, &json, &error), EDICT_ERROR_DATE, error);
  CHECK(contains(error, "2023-02-30"));
  edict_string_free(error);
  CHECK_STATUS(edict_evaluate_json(policy, "{}", "2023-12-01", "yesterday", 0, &json, &error), EDICT_ERROR_DATE,
               error);
  CHECK(contains(error, "rules_as_of"));
  edict_string_free(error);
  /* The message is optional: NULL is allowed for `error`. */
  CHECK(edict_evaluate_json(policy, "{}", "2023-13-01", NULL, 0, &json, NULL) == EDICT_ERROR_DATE);
}

static void test_session(const edict_policy* policy) {
  edict_session* session = NULL;
  edict_facts* facts = NULL;
  const edict_decision* decision = NULL;
  char* text = read_file("policies/ear/catalog/h800.json");
  char* error = NULL;
  char* json = NULL;
  CHECK(text != NULL);
  CHECK_STATUS(edict_session_new(policy, &session, &error), EDICT_OK, error);
  CHECK_STATUS(edict_facts_new(&facts, &error), EDICT_OK, error);
  CHECK_STATUS(edict_facts_from_json(facts, text, text != NULL ? strlen(text) : 0, policy, &error), EDICT_OK, error);
  CHECK_STATUS(edict_facts_set_string(facts, "destination.country", "CN", &error), EDICT_OK, error);
  CHECK_STATUS(edict_session_decide(session, facts, "2023-12-01", NULL, &decision, &error), EDICT_OK, error);
  CHECK(decision != NULL);
  CHECK(strcmp(edict_decision_outcome(decision), "license_required") == 0);
  CHECK(!edict_decision_indeterminate(decision));
  CHECK(edict_decision_classification_count(decision) == 1);
  CHECK(strcmp(edict_decision_classification(decision, 0), "3A090.a") == 0);
  CHECK(edict_decision_classification(decision, 1) == NULL);
  CHECK(edict_decision_deciding_rule_count(decision) >= 1);
  CHECK(edict_decision_deciding_rule(decision, 0) != NULL);

  /* Before the October 2023 rules, the same facts need no license. */
  CHECK_STATUS(edict_session_decide(session, facts, "2023-06-01", NULL, &decision, &error), EDICT_OK, error);
  CHECK(strcmp(edict_decision_outcome(decision), "no_license_required") == 0);
  CHECK(edict_decision_deciding_rule_count(decision) == 0);

  /* The full result of the same facts, built in code. */
  CHECK_STATUS(edict_session_evaluate_json(session, facts, "2023-12-01", NULL, 0, &json, &error), EDICT_OK, error);
  CHECK(contains(json, "\"decision\":\"license_required\""));
  edict_string_free(json);

  /* Typed setters: exact decimal text, integers, booleans, dates; a bad date is refused. */
  edict_facts_clear(facts);
  CHECK_STATUS(edict_facts_set_number(facts, "product.tpp", "4800.000", &error), EDICT_OK, error);
  CHECK_STATUS(edict_facts_set_integer(facts, "product.die_area_mm2", 814, &error), EDICT_OK, error);
  CHECK_STATUS(edict_facts_set_bool(facts, "product.datacenter", 1, &error), EDICT_OK, error);
  CHECK_STATUS(edict_facts_set_date(facts, "shipment.date", "2023-02-29", &error), EDICT_ERROR_DATE, error);
  edict_string_free(error);
  CHECK_STATUS(edict_facts_set_null(facts, NULL, &error), EDICT_ERROR_ARGUMENT, error);
  edict_string_free(error);

  /* Facts that do not fit the schema: no decision, the problems in the message. */
  CHECK_STATUS(edict_facts_set_string(facts, "product.tpp", "big", &error), EDICT_OK, error);
  CHECK_STATUS(edict_session_decide(session, facts, "2023-12-01", NULL, &decision, &error), EDICT_ERROR_FACTS,
               error);
  CHECK(decision == NULL);
  CHECK(contains(error, "`product.tpp`"));
  edict_string_free(error);

  /* Malformed JSON facts: the position, and the facts are left empty. */
  CHECK_STATUS(edict_facts_from_json(facts, "{\"a\": }", 7, NULL, &error), EDICT_ERROR_FACTS, error);
  CHECK(contains(error, "line 1, column 7"));
  edict_string_free(error);

  edict_facts_free(facts);
  edict_session_free(session);
  free(text);
}

/* Prepared frames: the same results as facts by path, setters by slot, misfits reported at once and by the
 * decision, and the handles checked. */
static void test_frame(const edict_policy* policy) {
  edict_session* session = NULL;
  edict_facts* facts = NULL;
  edict_frame* frame = NULL;
  edict_frame* other_frame = NULL;
  edict_policy* other = NULL;
  const edict_decision* decision = NULL;
  char* json = h800_to_china_json();
  char* error = NULL;
  char* by_path = NULL;
  char* by_frame = NULL;
  int32_t tpp = -1, area = -1, country = -1, datacenter = -1, cn = -1, us = -1, unknown = 0;
  int trace;
  CHECK(json != NULL);
  CHECK_STATUS(edict_session_new(policy, &session, &error), EDICT_OK, error);
  CHECK_STATUS(edict_facts_new(&facts, &error), EDICT_OK, error);
  CHECK_STATUS(edict_frame_new(policy, &frame, &error), EDICT_OK, error);

  /* The same JSON through a frame and through facts: byte-identical results, with and without a trace. */
  CHECK_STATUS(edict_facts_from_json(facts, json, json != NULL ? strlen(json) : 0, policy, &error), EDICT_OK, error);
  CHECK_STATUS(edict_frame_from_json(frame, json, json != NULL ? strlen(json) : 0, &error), EDICT_OK, error);
  for (trace = 0; trace <= 1; ++trace) {
    CHECK_STATUS(edict_session_evaluate_json(session, facts, "2023-12-01", NULL, trace, &by_path, &error), EDICT_OK,
                 error);
    CHECK_STATUS(edict_session_evaluate_frame_json(session, frame, "2023-12-01", NULL, trace, &by_frame, &error),
                 EDICT_OK, error);
    CHECK(by_path != NULL && by_frame != NULL && strcmp(by_path, by_frame) == 0);
    edict_string_free(by_path);
    edict_string_free(by_frame);
  }
  CHECK_STATUS(edict_session_decide_frame(session, frame, "2023-12-01", NULL, &decision, &error), EDICT_OK, error);
  CHECK(decision != NULL && strcmp(edict_decision_outcome(decision), "license_required") == 0);
  CHECK(edict_decision_classification_count(decision) == 1);

  /* Setters by slot, the facts resolved once. */
  CHECK_STATUS(edict_frame_fact(frame, "product.tpp", &tpp, &error), EDICT_OK, error);
  CHECK_STATUS(edict_frame_fact(frame, "product.die_area_mm2", &area, &error), EDICT_OK, error);
  CHECK_STATUS(edict_frame_fact(frame, "destination.country", &country, &error), EDICT_OK, error);
  CHECK_STATUS(edict_frame_fact(frame, "product.datacenter", &datacenter, &error), EDICT_OK, error);
  CHECK_STATUS(edict_frame_code(frame, country, "CN", &cn, &error), EDICT_OK, error);
  CHECK_STATUS(edict_frame_code(frame, country, "US", &us, &error), EDICT_OK, error);
  CHECK(tpp >= 0 && area >= 0 && country >= 0 && datacenter >= 0 && cn >= 0 && us >= 0 && cn != us);
  CHECK_STATUS(edict_frame_set_code(frame, country, us, &error), EDICT_OK, error);
  CHECK_STATUS(edict_session_decide_frame(session, frame, "2023-12-01", NULL, &decision, &error), EDICT_OK, error);
  CHECK(decision != NULL && strcmp(edict_decision_outcome(decision), "no_license_required") == 0);
  edict_frame_clear(frame);
  CHECK_STATUS(edict_frame_set_number(frame, tpp, "4800.000", &error), EDICT_OK, error);
  CHECK_STATUS(edict_frame_set_integer(frame, area, 814, &error), EDICT_OK, error);
  CHECK_STATUS(edict_frame_set_bool(frame, datacenter, 1, &error), EDICT_OK, error);
  CHECK_STATUS(edict_frame_set_code(frame, country, cn, &error), EDICT_OK, error);
  CHECK_STATUS(edict_frame_set_absent(frame, datacenter, &error), EDICT_OK, error);

  /* A misfit: refused at once with the fact's name, and the decision fails until the frame is cleared. */
  CHECK_STATUS(edict_frame_set_string(frame, tpp, "big", &error), EDICT_ERROR_FACTS, error);
  CHECK(contains(error, "`product.tpp`"));
  edict_string_free(error);
  CHECK_STATUS(edict_session_decide_frame(session, frame, "2023-12-01", NULL, &decision, &error), EDICT_ERROR_FACTS,
               error);
  CHECK(decision == NULL && contains(error, "`product.tpp`"));
  edict_string_free(error);
  edict_frame_clear(frame);
  CHECK_STATUS(edict_session_decide_frame(session, frame, "2023-12-01", NULL, &decision, &error), EDICT_OK, error);

  /* Unknown facts and codes, bad dates, malformed JSON, NULL handles, another policy's frame. */
  CHECK_STATUS(edict_frame_fact(frame, "product.colour", &unknown, &error), EDICT_ERROR_FACTS, error);
  CHECK(unknown == -1 && contains(error, "product.colour"));
  edict_string_free(error);
  CHECK_STATUS(edict_frame_code(frame, country, "XX", &unknown, &error), EDICT_ERROR_FACTS, error);
  CHECK(unknown == -1 && contains(error, "XX"));
  edict_string_free(error);
  CHECK_STATUS(edict_frame_set_code(frame, country, 100000, &error), EDICT_ERROR_FACTS, error);
  edict_string_free(error);
  CHECK_STATUS(edict_frame_set_integer(frame, -5, 1, &error), EDICT_ERROR_FACTS, error);
  edict_string_free(error);
  edict_frame_clear(frame);
  CHECK_STATUS(edict_frame_set_date(frame, tpp, "2023-02-29", &error), EDICT_ERROR_DATE, error);
  edict_string_free(error);
  CHECK_STATUS(edict_frame_from_json(frame, "{\"a\": }", 7, &error), EDICT_ERROR_FACTS, error);
  CHECK(contains(error, "line 1, column 7"));
  edict_string_free(error);
  CHECK_STATUS(edict_frame_set_string(NULL, tpp, "1", &error), EDICT_ERROR_ARGUMENT, error);
  edict_string_free(error);
  CHECK_STATUS(edict_frame_new(NULL, &other_frame, &error), EDICT_ERROR_ARGUMENT, error);
  CHECK(other_frame == NULL);
  edict_string_free(error);
  other = compile_ear(NULL);
  CHECK_STATUS(edict_frame_new(other, &other_frame, &error), EDICT_OK, error);
  edict_policy_free(other);  /* the frame keeps its policy alive */
  CHECK_STATUS(edict_session_decide_frame(session, other_frame, "2023-12-01", NULL, &decision, &error),
               EDICT_ERROR_ARGUMENT, error);
  CHECK(decision == NULL && contains(error, "another policy"));
  edict_string_free(error);

  edict_frame_free(other_frame);
  edict_frame_free(frame);
  edict_facts_free(facts);
  edict_session_free(session);
  free(json);
}

/* A bad policy from memory: the diagnostics as data. */
static void test_diagnostics(void) {
  static const char text[] =
      "policy \"Bad\"\n"
      "  outcomes yes > no\n"
      "  default no\n"
      "end\n"
      "fact product.tpp : decimal \"TPP\"\n"
      "rule r\n"
      "  title \"R\"\n"
      "  citation \"C\"\n"
      "  when product.tpx >= 4800\n"
      "  then yes\n"
      "end\n";
  edict_source source = {"memory/bad.edict", text, sizeof text - 1};
  edict_policy* policy = NULL;
  edict_diagnostics* diagnostics = NULL;
  char* error = NULL;
  char* rendered = NULL;
  size_t i = 0;
  int found = 0;
  CHECK_STATUS(edict_compile_sources(&source, 1, NULL, &policy, &diagnostics, &error), EDICT_ERROR_COMPILE, error);
  CHECK(policy == NULL);
  CHECK(contains(error, "product.tpx"));
  edict_string_free(error);
  CHECK(edict_diagnostics_count(diagnostics) >= 1);
  for (i = 0; i < edict_diagnostics_count(diagnostics); ++i) {
    if (edict_diagnostics_severity(diagnostics, i) == EDICT_SEVERITY_ERROR &&
        contains(edict_diagnostics_message(diagnostics, i), "product.tpx")) {
      found = 1;
      CHECK(strcmp(edict_diagnostics_code(diagnostics, i), "unknown-name") == 0);
      CHECK(contains(edict_diagnostics_file(diagnostics, i), "bad.edict"));
      CHECK(edict_diagnostics_line(diagnostics, i) == 9);
      CHECK(edict_diagnostics_column(diagnostics, i) == 8);
      CHECK(edict_diagnostics_help(diagnostics, i) != NULL);
    }
  }
  CHECK(found);
  CHECK(edict_diagnostics_code(diagnostics, edict_diagnostics_count(diagnostics)) == NULL);
  CHECK_STATUS(edict_diagnostics_json(diagnostics, &rendered, &error), EDICT_OK, error);
  CHECK(contains(rendered, "\"code\":\"unknown-name\""));
  edict_string_free(rendered);
  CHECK_STATUS(edict_diagnostics_render(diagnostics, &rendered, &error), EDICT_OK, error);
  CHECK(contains(rendered, "error[unknown-name]"));
  edict_string_free(rendered);
  edict_diagnostics_free(diagnostics);
}

/* Limits exceeded while compiling and while evaluating: errors, never a crash or an exception. */
static void test_limits(void) {
  static const char deep[] =
      "policy \"Deep\"\n"
      "  outcomes yes > no\n"
      "  default no\n"
      "end\n"
      "fact x : decimal \"X\"\n"
      "define y = ((((((x))))))\n";
  edict_source source = {"memory/deep.edict", deep, sizeof deep - 1};
  edict_compile_options* options = NULL;
  edict_policy* policy = NULL;
  edict_diagnostics* diagnostics = NULL;
  edict_session* session = NULL;
  edict_facts* facts = NULL;
  const edict_decision* decision = NULL;
  char* facts_json = h800_to_china_json();
  char* error = NULL;
  char* json = NULL;

  CHECK_STATUS(edict_compile_options_new(&options, &error), EDICT_OK, error);
  CHECK_STATUS(edict_compile_options_set_limit(options, EDICT_LIMIT_NESTING_DEPTH, 3, &error), EDICT_OK, error);
  CHECK(edict_compile_options_get_limit(options, EDICT_LIMIT_NESTING_DEPTH) == 3);
  CHECK_STATUS(edict_compile_options_set_limit(options, (edict_limit)99, 3, &error), EDICT_ERROR_ARGUMENT, error);
  edict_string_free(error);
  CHECK_STATUS(edict_compile_sources(&source, 1, options, &policy, &diagnostics, &error), EDICT_ERROR_COMPILE,
               error);
  CHECK(policy == NULL);
  CHECK(edict_diagnostics_count(diagnostics) >= 1);
  CHECK(strcmp(edict_diagnostics_code(diagnostics, 0), "limit-exceeded") == 0);
  edict_string_free(error);
  edict_diagnostics_free(diagnostics);

  /* The EAR pack with 10 evaluation steps: the evaluation stops with EDICT_ERROR_LIMIT. */
  CHECK_STATUS(edict_compile_options_set_limit(options, EDICT_LIMIT_NESTING_DEPTH, 64, &error), EDICT_OK, error);
  CHECK_STATUS(edict_compile_options_set_limit(options, EDICT_LIMIT_EVAL_STEPS, 10, &error), EDICT_OK, error);
  policy = compile_ear(options);
  CHECK_STATUS(edict_evaluate_json(policy, facts_json, "2023-12-01", NULL, 0, &json, &error), EDICT_ERROR_LIMIT,
               error);
  CHECK(contains(json, "\"error\""));
  CHECK(contains(error, "eval_steps"));
  edict_string_free(json);
  edict_string_free(error);
  CHECK_STATUS(edict_session_new(policy, &session, &error), EDICT_OK, error);
  CHECK_STATUS(edict_facts_new(&facts, &error), EDICT_OK, error);
  CHECK_STATUS(edict_facts_from_json(facts, facts_json, strlen(facts_json), policy, &error), EDICT_OK, error);
  /* The session keeps the policy alive: freeing the policy handle first is allowed. */
  edict_policy_free(policy);
  CHECK_STATUS(edict_session_decide(session, facts, "2023-12-01", NULL, &decision, &error), EDICT_ERROR_LIMIT, error);
  CHECK(decision == NULL);
  edict_string_free(error);

  /* A facts limit: two entries at most. */
  CHECK_STATUS(edict_compile_options_set_limit(options, EDICT_LIMIT_EVAL_STEPS, 10000000, &error), EDICT_OK, error);
  CHECK_STATUS(edict_compile_options_set_limit(options, EDICT_LIMIT_FACT_ENTRIES, 2, &error), EDICT_OK, error);
  policy = compile_ear(options);
  CHECK_STATUS(edict_evaluate_json(policy, facts_json, "2023-12-01", NULL, 0, &json, &error), EDICT_ERROR_FACTS,
               error);
  CHECK(contains(error, "entries"));
  edict_string_free(error);

  edict_policy_free(policy);
  edict_facts_free(facts);
  edict_session_free(session);
  edict_compile_options_free(options);
  free(facts_json);
}

/* Three lines, the second one bad: three output lines, in order, the bad one an error object. */
static void test_batch(const edict_policy* policy) {
  static const char input[] =
      "{\"id\":\"cn\",\"facts\":{\"product\":{\"kind\":\"ic\",\"tpp\":15832,\"die_area_mm2\":814,"
      "\"io_bandwidth_gbps\":528,\"memory_bandwidth_gbps\":3350,\"datacenter\":true},"
      "\"destination\":{\"country\":\"CN\"}}}\n"
      "{\"id\":\"bad\",\"facts\":{\"product\":{\"tpp\":\"big\"}}}\n"
      "{\"id\":\"old\",\"as_of\":\"2023-06-01\",\"facts\":{\"product\":{\"kind\":\"ic\",\"tpp\":15832,"
      "\"die_area_mm2\":814,\"io_bandwidth_gbps\":528,\"memory_bandwidth_gbps\":3350,\"datacenter\":true},"
      "\"destination\":{\"country\":\"CN\"}}}\n";
  char* output = NULL;
  char* threaded = NULL;
  char* error = NULL;
  size_t length = 0;
  size_t errors = 0;
  const char* second = NULL; /* the '\n' before the second line */
  const char* third = NULL;  /* the '\n' before the third line */
  const char* end = NULL;    /* the '\n' that ends the output */
  CHECK_STATUS(edict_batch(policy, input, sizeof input - 1, "2023-12-01", NULL, 0, 1, &output, &length, &errors,
                           &error),
               EDICT_OK, error);
  CHECK(output != NULL && strlen(output) == length);
  CHECK(errors == 1);
  second = output != NULL ? strchr(output, '\n') : NULL;
  third = second != NULL ? strchr(second + 1, '\n') : NULL;
  end = third != NULL ? strchr(third + 1, '\n') : NULL;
  CHECK(end != NULL && end[1] == '\0');
  CHECK(output != NULL && strncmp(output, "{\"id\":\"cn\",\"decision\":\"license_required\"", 40) == 0);
  CHECK(second != NULL && strncmp(second + 1, "{\"id\":\"bad\",\"line\":2,\"error\":", 29) == 0);
  CHECK(third != NULL && strncmp(third + 1, "{\"id\":\"old\",\"decision\":\"no_license_required\"", 44) == 0);
  /* The same bytes with two threads. */
  CHECK_STATUS(edict_batch(policy, input, sizeof input - 1, "2023-12-01", NULL, 0, 2, &threaded, NULL, NULL, &error),
               EDICT_OK, error);
  CHECK(output != NULL && threaded != NULL && strcmp(output, threaded) == 0);
  edict_string_free(threaded);
  edict_string_free(output);
  /* No default date: refused, not guessed. Zero threads: refused. */
  CHECK_STATUS(edict_batch(policy, input, sizeof input - 1, NULL, NULL, 0, 1, &output, NULL, NULL, &error),
               EDICT_ERROR_DATE, error);
  CHECK(output == NULL);
  edict_string_free(error);
  CHECK_STATUS(edict_batch(policy, input, sizeof input - 1, "2023-12-01", NULL, 0, 0, &output, NULL, NULL, &error),
               EDICT_ERROR_ARGUMENT, error);
  edict_string_free(error);
}

static void test_arguments(void) {
  edict_policy* policy = NULL;
  char* json = NULL;
  char* error = NULL;
  CHECK_STATUS(edict_evaluate_json(NULL, "{}", "2023-12-01", NULL, 0, &json, &error), EDICT_ERROR_ARGUMENT, error);
  CHECK(contains(error, "policy"));
  edict_string_free(error);
  CHECK_STATUS(edict_compile_path(NULL, NULL, &policy, NULL, &error), EDICT_ERROR_ARGUMENT, error);
  edict_string_free(error);
  CHECK_STATUS(edict_compile_path("no/such/policy", NULL, &policy, NULL, &error), EDICT_ERROR_COMPILE, error);
  CHECK(policy == NULL);
  edict_string_free(error);
  /* Freeing NULL is allowed everywhere. */
  edict_policy_free(NULL);
  edict_session_free(NULL);
  edict_frame_free(NULL);
  edict_frame_clear(NULL);
  edict_facts_free(NULL);
  edict_diagnostics_free(NULL);
  edict_compile_options_free(NULL);
  edict_string_free(NULL);
}

int main(void) {
  edict_policy* policy = NULL;
  test_version();
  policy = compile_ear(NULL);
  if (policy == NULL) {
    fprintf(stderr, "cannot compile policies/ear (run from the repository root)\n");
    return 1;
  }
  CHECK(strlen(edict_policy_digest(policy)) > 0);
  test_evaluate_json(policy);
  test_bad_facts(policy);
  test_bad_dates(policy);
  test_session(policy);
  test_frame(policy);
  test_diagnostics();
  test_limits();
  test_batch(policy);
  test_arguments();
  edict_policy_free(policy);
  if (failures != 0) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("C ABI: all checks passed\n");
  return 0;
}
