# CLI tests: `eddy test` golden cases (tests/sql/*.sql, see tests/sql/run.py
# for the convention) and the end-to-end test of `eddy serve` + the CLI.
find_program(EDDY_PYTHON3 python3 REQUIRED)
file(GLOB EDDY_SQL_CASES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/sql/*.sql)
foreach(case ${EDDY_SQL_CASES})
  get_filename_component(name ${case} NAME_WE)
  add_test(NAME sql_${name}
           COMMAND ${EDDY_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/sql/run.py $<TARGET_FILE:eddy> ${case})
  set_tests_properties(sql_${name} PROPERTIES TIMEOUT 120 LABELS sql)
endforeach()

add_test(NAME e2e_serve COMMAND ${EDDY_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/e2e/e2e.py $<TARGET_FILE:eddy>)
# 77: node or the npm ws package missing (scripts/deps.sh installs them).
set_tests_properties(e2e_serve PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77 LABELS e2e RUN_SERIAL TRUE)

# `eddy tail` dropped by the server for falling behind (1008): exit 1 and why.
add_test(NAME tail_drop COMMAND ${EDDY_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/e2e/tail_drop.py $<TARGET_FILE:eddy>)
set_tests_properties(tail_drop PROPERTIES TIMEOUT 120 LABELS e2e)

# The date and time functions against Python's datetime (3 000 instants).
add_test(NAME date_functions
  COMMAND ${EDDY_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/e2e/date_functions.py $<TARGET_FILE:eddy> ${CMAKE_CURRENT_BINARY_DIR}/date_functions)
set_tests_properties(date_functions PROPERTIES TIMEOUT 120)

# Every subcommand answers --help with its usage.
foreach(cmd serve exec queries ls drop explain tail shell test)
  add_test(NAME cli_help_${cmd} COMMAND eddy ${cmd} --help)
  set_tests_properties(cli_help_${cmd} PROPERTIES PASS_REGULAR_EXPRESSION "usage: eddy")
endforeach()
# A failure is one line on stderr and a non-zero exit.
add_test(NAME cli_unknown_command COMMAND eddy frobnicate)
set_tests_properties(cli_unknown_command PROPERTIES WILL_FAIL TRUE)

# The checkpoint file container: round trip, atomic replace, damage rejected.
add_executable(test_ckpt_file tests/cli/test_ckpt_file.c cli/ckpt_file.c)
target_link_libraries(test_ckpt_file PRIVATE eddy_common)
add_test(NAME ckpt_file COMMAND test_ckpt_file)

# Checkpoints without Kafka: kill -9 and restart resume a followed file at the
# checkpoint's byte offset with the windows' state restored.
add_test(NAME ckpt_serve_file COMMAND ${EDDY_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/e2e/ckpt_file.py $<TARGET_FILE:eddy>)
set_tests_properties(ckpt_serve_file PROPERTIES TIMEOUT 180 LABELS e2e)
