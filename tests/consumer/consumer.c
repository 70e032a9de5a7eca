/* A C host linked through pkg-config: the H800 to China on 2023-12-01 needs a license. */
#include <stdio.h>
#include <string.h>

#include "edict/edict.h"

int main(int argc, char** argv) {
  edict_policy* policy = NULL;
  char* json = NULL;
  char* error = NULL;
  int ok = 0;
  if (argc != 2) return 2;
  if (edict_compile_path(argv[1], NULL, &policy, NULL, &error) != EDICT_OK) {
    fprintf(stderr, "%s\n", error);
    edict_string_free(error);
    return 1;
  }
  if (edict_evaluate_json(policy,
                          "{\"product\": {\"kind\": \"ic\", \"tpp\": 15832, \"die_area_mm2\": 814, "
                          "\"io_bandwidth_gbps\": 528, \"memory_bandwidth_gbps\": 3350, \"datacenter\": true}, "
                          "\"destination\": {\"country\": \"CN\"}}",
                          "2023-12-01", NULL, 0, &json, &error) == EDICT_OK) {
    ok = strstr(json, "\"decision\":\"license_required\"") != NULL;
    puts(json);
  } else {
    fprintf(stderr, "%s\n", error);
  }
  edict_string_free(json);
  edict_string_free(error);
  edict_policy_free(policy);
  return ok ? 0 : 1;
}
