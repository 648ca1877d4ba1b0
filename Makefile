# Thin wrapper for the everyday verbs; CMake does the work.
.PHONY: all test example clean format
all:
	cmake -S . -B build >/dev/null && cmake --build build -j
test:
	sh scripts/test.sh
example:
	sh scripts/example.sh
format:
	clang-format -i include/s75/*.h src/*/*.c src/*/*.h tests/unit/*.c
clean:
	rm -rf build
