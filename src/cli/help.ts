/** Help texts with examples, shown after commander's option lists. */

export const ROOT_HELP = `
Examples:
  $ spikeloop validate arch-specs/eyeriss-like.yaml workloads/vgg-conv3-snn.yaml mappings/eyeriss-like-vgg-conv3-t-inner.yaml
  $ spikeloop evaluate --arch arch-specs/eyeriss-like.yaml --workload workloads/vgg-conv3-snn.yaml \\
      --mapping mappings/eyeriss-like-vgg-conv3-t-inner.yaml
  $ spikeloop evaluate --help

Exit codes:
  0   ok
  1   invalid input (diagnostics on stderr as file:line:col: error CODE: message)
  2   usage error
  3   no valid mapping (the mapping cannot run on the arch: a tile that does not fit, a fan-out too large, ...)
  70  internal error (set SPIKELOOP_DEBUG=1 for the stack trace)`;

export const VALIDATE_HELP = `
The kind of each file (arch, workload, mapping, network, tt_network, schedule, constraints) is detected from its
top-level key. A mapping (or constraints file) is checked against the arch and workload given with it: the only ones,
or those its 'for: { arch: NAME, workload: NAME }' names, or those whose file stems make its file name
(<arch>-<workload>[-variant].yaml). Mappings are also evaluated, so a tile that does not fit is reported (SL-EVAL-*).

Examples:
  $ spikeloop validate arch-specs/eyeriss-like.yaml
  $ spikeloop validate arch-specs/eyeriss-like.yaml workloads/vgg-conv3-snn.yaml mappings/eyeriss-like-vgg-conv3-t-inner.yaml
  $ spikeloop validate arch-specs/*.yaml workloads/*.yaml mappings/*.yaml

Exit codes: 0 all files valid (warnings may be printed), 1 problems found (one per line on stderr), 2 usage error,
3 a mapping is well formed but cannot run on its arch.`;

export const EVALUATE_HELP = `
Either --arch, --workload and --mapping (native YAML specs), or --timeloop with Timeloop v0.3 files.

Examples:
  $ spikeloop evaluate --arch arch-specs/eyeriss-like.yaml --workload workloads/vgg-conv3-snn.yaml \\
      --mapping mappings/eyeriss-like-vgg-conv3-t-inner.yaml
  $ spikeloop evaluate --arch arch-specs/eyeriss-like.yaml --workload workloads/vgg-conv3-snn.yaml \\
      --mapping mappings/eyeriss-like-vgg-conv3-t-outer.yaml --brief
  $ spikeloop evaluate --arch A.yaml --workload W.yaml --mapping M.yaml --json > evaluation.json
  $ spikeloop evaluate --arch A.yaml --workload W.yaml --mapping M.yaml --out reports/out/conv3
  $ spikeloop evaluate --timeloop arch.yaml problem.yaml mapping.yaml ERT.yaml --json

--json prints one JSON document (schema spikeloop.evaluation/1) on stdout; --out writes evaluation.json and
summary.md to DIR (created when missing).

Exit codes: 0 ok, 1 invalid input, 2 usage error, 3 no valid mapping.`;

export const SEARCH_HELP = `
Searches the mapspace of the layer (splits of every dim over the levels and the X/Y fan-out, cost-distinct loop
orders per level, keep/bypass per level and tensor, hence where T sits and whether the neuron state spills).
The size of the space is printed first. Strategies: anneal (default: random sampling, then simulated annealing,
in --chains independent chains), random, exhaustive (branch and bound; says "optimal" when it covers the space;
--max-evals N covers the first N candidates of its enumeration). --tolerance F: the mappings within F of the best
first metric form a band in which the next metric decides. The roofline model scores the search; --rerank N
re-evaluates the N best and the Pareto front with the pipeline timing model and picks by the objective.

Examples:
  $ spikeloop search --arch arch-specs/eyeriss-like.yaml --workload workloads/vgg-conv3-snn.yaml --max-evals 5000
  $ spikeloop search --arch arch-specs/eyeriss-like.yaml --workload workloads/vgg-conv3-snn.yaml \\
      --constraints mappings/constraints/row-stationary.yaml --objective edp --threads 2 --out reports/out/search
  $ spikeloop search --arch A.yaml --workload W.yaml --objective energy,cycles --tolerance 0.01 --pareto --json
  $ spikeloop search --arch A.yaml --workload W.yaml --objective cycles --rerank 16 --json
  $ spikeloop search --timeloop arch.yaml problem.yaml ERT.yaml --strategy exhaustive --time-limit 60

The best mapping is printed as mapping YAML (or written to DIR/best-mapping.yaml), ready for spikeloop evaluate
(with --timeloop: a Timeloop v0.3 mapping for evaluate --timeloop).
Ctrl-C stops the search and reports the best mapping so far. Results depend only on --seed (not on --threads)
unless --time-limit or Ctrl-C cuts the search short.

Exit codes: 0 ok, 1 invalid input, 2 usage error, 3 no valid mapping (with the reasons).`;
