# EXPLAIN golden tests: every tests/explain/NAME.sql is run through the
# engine by explain_dump and its plans compared with NAME.plan (exact text,
# a diff on mismatch). Regenerate with
#   UPDATE=1 ctest -R '^explain_' --test-dir BUILD_DIR
# and review every changed .plan by hand before committing it.
find_program(EDDY_PYTHON3 python3 REQUIRED)
add_executable(explain_dump tests/explain/explain_dump.c)
target_link_libraries(explain_dump PRIVATE eddy_engine)
file(GLOB EDDY_EXPLAIN_CASES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/explain/*.sql)
foreach(case ${EDDY_EXPLAIN_CASES})
  get_filename_component(name ${case} NAME_WE)
  add_test(NAME explain_${name}
           COMMAND ${EDDY_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/explain/run.py $<TARGET_FILE:explain_dump> ${case})
  set_tests_properties(explain_${name} PROPERTIES TIMEOUT 60 LABELS explain)
endforeach()
