# The two commands of the README: `make run` and `make test`.
BUILD ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
ARGS ?=

.PHONY: deps configure build run test unit e2e bench asan clean models

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

clean:
	rm -rf $(BUILD)

# Refreshes the pinned AWS service models (models/) from the installed botocore.
# Review the diff: it is every shape and validation change the upgrade brings.
models:
	python3 scripts/gen_models.py update

# crosskey beside nginx in one run (bench/side.py): 4 KiB / 1 MiB GET and PUT of
# SSE-KMS objects, KMS over HTTP, ratios and server CPU per request.
bench: build
	@bash scripts/install-deps.sh --bench
	bash bench/side.sh $(ARGS)
