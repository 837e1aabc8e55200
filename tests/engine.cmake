# Engine core tests: deterministic, manual clock, no sockets.
add_executable(test_engine tests/engine/test_engine.c)
target_link_libraries(test_engine PRIVATE eddy_engine)
add_test(NAME engine_core COMMAND test_engine)

# Layering: the engine core must not include libevent or librdkafka.
add_test(NAME engine_layering
  COMMAND sh -c "! grep -rlE '#include *<(event2/|librdkafka)' parser engine udf common"
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
