# Engine core tests: deterministic, manual clock, no sockets.
add_executable(test_engine tests/engine/test_engine.c)
target_link_libraries(test_engine PRIVATE eddy_engine)
add_test(NAME engine_core COMMAND test_engine)

# Checkpoints: snapshot/restore equivalence at every split point, corruption.
add_executable(test_checkpoint tests/engine/test_checkpoint.c)
target_link_libraries(test_checkpoint PRIVATE eddy_engine)
add_test(NAME engine_checkpoint COMMAND test_checkpoint)

# Layering: the engine core must not include libevent or librdkafka.
add_test(NAME engine_layering
  COMMAND sh -c "! grep -rlE '#include *<(event2/|librdkafka)' parser engine udf common"
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})

# ed_par (engine/parallel.h): 1 thread vs 1/2/3 shards give the same rows per
# window and the same counters (hand-made out-of-order stream, Nexmark q2/q5/q7).
add_executable(test_parallel tests/engine/test_parallel.c)
target_link_libraries(test_parallel PRIVATE eddy_connectors)
target_compile_definitions(test_parallel PRIVATE EDDY_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
add_test(NAME engine_parallel COMMAND test_parallel)

# Checkpoint restore fuzz target (mutation scripts over a real blob): the
# corpus is replayed by CTest; a libFuzzer binary too when EDDY_FUZZ=ON (clang).
add_executable(fuzz_checkpoint_replay tests/engine/fuzz_checkpoint.c tests/connectors/fuzz_replay_main.c)
target_link_libraries(fuzz_checkpoint_replay PRIVATE eddy_engine)
add_test(NAME engine_fuzz_checkpoint_corpus
         COMMAND fuzz_checkpoint_replay ${CMAKE_SOURCE_DIR}/tests/engine/ckpt_corpus)
if(EDDY_FUZZ AND CMAKE_C_COMPILER_ID MATCHES "Clang")
  add_executable(fuzz_checkpoint tests/engine/fuzz_checkpoint.c)
  target_compile_options(fuzz_checkpoint PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_checkpoint PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_checkpoint PRIVATE eddy_engine)
endif()
# eddy-bench --threads 2 at a tiny size: exits non-zero if the two-thread run
# emits a different number of rows than the one-thread run (no timing checks).
add_test(NAME engine_parallel_bench COMMAND eddy-bench --events 50000 --runs 1 --threads 2 q0 q1 q2 q5 q7)
