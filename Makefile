# kpi — PostgreSQL extension for customer-service KPIs.
#
#   make demo   install what is missing, build, install, show the KPI report
#   make test   the same set-up, then every test suite; ends "N passed, N failed"
#
# Everything else is plain PGXS (make, make install, make installcheck).

EXTENSION = kpi
MODULE_big = kpi
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))
DATA = $(sort $(wildcard sql/kpi--*.sql))
# Every sql/*.sql except the install scripts is a pg_regress test.
REGRESS = $(sort $(basename $(notdir $(filter-out sql/kpi--%,$(wildcard sql/*.sql)))))
REGRESS_OPTS = --load-extension=kpi
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers
EXTRA_CLEAN = test/build test/realdata/results

# Target PostgreSQL 15 from Debian unless told otherwise.
PG_CONFIG ?= $(firstword $(wildcard /usr/lib/postgresql/15/bin/pg_config) pg_config)
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

# On a fresh machine pg_config is not there yet: only demo/test/deps work
# until test/deps.sh has installed it.
ifneq ($(PGXS),)
include $(PGXS)
endif

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build-install demo test bench

deps:
	@bash test/deps.sh

build-install: deps
	@$(MAKE) --no-print-directory all
	@$(SUDO) $(MAKE) --no-print-directory install >/dev/null

demo: build-install
	@bash test/demo/run.sh

test: build-install
	@bash test/run.sh

bench: build-install
	@bash test/bench/run.sh
