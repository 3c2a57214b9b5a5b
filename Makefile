# The two commands of the README: `make run` and `make test`.
BUILD ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
ARGS ?=

.PHONY: deps configure build run test unit e2e bench asan fuzz fuzz-build clean models

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) > /dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/src/exe/crosskey serve $(ARGS)

test: build
	@bash test/e2e/setup-node.sh
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

unit: build
	ctest --test-dir $(BUILD) --output-on-failure -L unit -j $(JOBS)

e2e: build
	ctest --test-dir $(BUILD) --output-on-failure -L e2e

asan: deps
	cmake --preset asan > /dev/null && cmake --build --preset asan -j $(JOBS)
	ctest --test-dir build-asan --output-on-failure -L unit

# libFuzzer targets (fuzz/README.md): built with clang, ASan and UBSan in
# $(FUZZ_BUILD), each run for FUZZ_SECONDS from the seeds in fuzz/corpus.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=

fuzz-build:
	@bash scripts/install-deps.sh --fuzz
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -DCK_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
	@cmake --build $(FUZZ_BUILD) --target fuzz_all -j $(JOBS)

fuzz: fuzz-build
	bash fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	rm -rf $(BUILD) $(FUZZ_BUILD)

# Refreshes the pinned AWS service models (models/) from the installed botocore.
# Review the diff: it is every shape and validation change the upgrade brings.
models:
	python3 scripts/gen_models.py update

# crosskey beside nginx in one run (bench/side.py): 4 KiB / 1 MiB GET and PUT of
# SSE-KMS objects, KMS over HTTP, ratios and server CPU per request.
bench: build
	@bash scripts/install-deps.sh --bench
	bash bench/side.sh $(ARGS)
