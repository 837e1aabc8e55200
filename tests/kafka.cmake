# Kafka tests: librdkafka's mock cluster (real protocol on loopback).
# eddy-kafka-mock: standalone mock cluster for the kcat-driven tests and
# examples/alerts.
add_executable(eddy-kafka-mock tests/kafka/mock_cluster.c)
target_link_libraries(eddy-kafka-mock PRIVATE PkgConfig::RDKAFKA)

# Source and sink against an in-process mock cluster with a real engine.
add_executable(test_kafka_io tests/kafka/test_kafka_io.c)
target_link_libraries(test_kafka_io PRIVATE eddy_connectors)
add_test(NAME kafka_io COMMAND test_kafka_io)
set_tests_properties(kafka_io PROPERTIES TIMEOUT 300 LABELS kafka)

# End to end: eddy serve + eddy-kafka-mock + kcat (an independent client).
find_program(KCAT kcat)
find_package(Python3 COMPONENTS Interpreter)
if(KCAT AND Python3_Interpreter_FOUND)
  add_test(NAME kafka_e2e
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/kafka/run_kafka_tests.py
            --eddy $<TARGET_FILE:eddy> --mock $<TARGET_FILE:eddy-kafka-mock> --kcat ${KCAT})
  set_tests_properties(kafka_e2e PROPERTIES TIMEOUT 300 LABELS kafka)
endif()

# kill -9 in the middle of a stream, restart with the same --state-dir: the
# aggregates equal an uninterrupted run (no loss, no double counting).
if(KCAT AND Python3_Interpreter_FOUND)
  add_test(NAME kafka_crash
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/kafka/run_crash_test.py
            --eddy $<TARGET_FILE:eddy> --mock $<TARGET_FILE:eddy-kafka-mock> --kcat ${KCAT})
  set_tests_properties(kafka_crash PROPERTIES TIMEOUT 400 LABELS kafka)
endif()
