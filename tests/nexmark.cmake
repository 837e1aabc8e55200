# Nexmark generator and benchmark tests. The generator test compiles the
# generator source directly (it depends only on common/), so it runs even
# while the rest of the connectors layer is being written.
add_executable(test_nexmark_gen tests/nexmark/test_nexmark_gen.c connectors/nexmark_gen.c)
target_link_libraries(test_nexmark_gen PRIVATE eddy_common PkgConfig::JANSSON)
add_test(NAME nexmark_gen COMMAND test_nexmark_gen)

# eddy-bench: the in-process Nexmark benchmark driver (bench/run.sh runs it).
add_executable(eddy-bench bench/bench_nexmark.c)
target_link_libraries(eddy-bench PRIVATE eddy_connectors)
target_compile_definitions(eddy-bench PRIVATE EDDY_SOURCE_DIR="${CMAKE_SOURCE_DIR}")

# The libevent source, against the engine (sources compiled in, as above).
add_executable(test_nexmark_source tests/nexmark/test_nexmark_source.c connectors/nexmark_source.c
               connectors/nexmark_gen.c)
target_link_libraries(test_nexmark_source PRIVATE eddy_engine PkgConfig::LIBEVENT)
add_test(NAME nexmark_source COMMAND test_nexmark_source)

# `eddy nexmark` (cli/nexmark_cmd.c): JSON lines of the generator; the
# checker decodes them with eddy's decoder and compares with the generator.
find_program(EDDY_PYTHON3 python3 REQUIRED)
add_executable(test_nexmark_cmd tests/nexmark/test_nexmark_cmd.c)
target_link_libraries(test_nexmark_cmd PRIVATE eddy_connectors)
add_test(NAME nexmark_cmd
  COMMAND ${EDDY_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/nexmark/nexmark_cmd_test.py $<TARGET_FILE:eddy>
          $<TARGET_FILE:test_nexmark_cmd> ${CMAKE_CURRENT_BINARY_DIR}/nexmark_cmd)

# eddy-latency (bench/latency.c): TCP source -> eddy serve -> WebSocket sinks.
find_package(Threads REQUIRED)
add_executable(eddy-latency bench/latency.c)
target_link_libraries(eddy-latency PRIVATE eddy_connectors Threads::Threads)

# eddy-core-rtt (bench/core_rtt.c): the thread-to-thread cache-line round
# trip, printed by bench/scaling.sh next to each two-thread speedup.
add_executable(eddy-core-rtt bench/core_rtt.c)
target_link_libraries(eddy-core-rtt PRIVATE Threads::Threads)

# The benchmark scripts at a tiny size, so they cannot rot (no timing checks):
# in-process Nexmark, TCP intake, latency, memory, Kafka intake (bench/run.sh).
add_test(NAME nexmark_bench_tiny
  COMMAND env BENCH_TINY=1 EDDY_BENCH=$<TARGET_FILE:eddy-bench> EDDY=$<TARGET_FILE:eddy>
          EDDY_LATENCY=$<TARGET_FILE:eddy-latency> EDDY_KAFKA_MOCK=$<TARGET_FILE:eddy-kafka-mock>
          BENCH_OUT=${CMAKE_CURRENT_BINARY_DIR}/bench-tiny.md ${CMAKE_SOURCE_DIR}/bench/run.sh)
set_tests_properties(nexmark_bench_tiny PROPERTIES TIMEOUT 300)
add_test(NAME nexmark_scaling_tiny
  COMMAND env BENCH_TINY=1 EDDY_BENCH=$<TARGET_FILE:eddy-bench>
          BENCH_OUT=${CMAKE_CURRENT_BINARY_DIR}/scaling-tiny.md ${CMAKE_SOURCE_DIR}/bench/scaling.sh)
set_tests_properties(nexmark_scaling_tiny PROPERTIES TIMEOUT 120)

# The example queries q12, q14-q17, q21, q22 (examples/nexmark/) through `eddy test`
# over `eddy nexmark` bids, checked row by row against Python.
add_test(NAME nexmark_queries
  COMMAND ${EDDY_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/nexmark/queries_test.py $<TARGET_FILE:eddy>
          ${CMAKE_SOURCE_DIR}/examples/nexmark ${CMAKE_CURRENT_BINARY_DIR}/nexmark_queries)
set_tests_properties(nexmark_queries PROPERTIES TIMEOUT 600)
