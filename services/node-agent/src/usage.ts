import { LOG_LEVELS } from './config.js'
import { SIMULATE_GPUS_EXAMPLE } from './simulated-gpus.js'

export const usage = `idlegrid-agent: rent out this machine's GPUs on the Idlegrid marketplace.

The agent detects your NVIDIA GPUs (with nvidia-smi), registers them with the
Idlegrid registry, and runs the jobs customers are matched to, limited to the
GPUs they paid for: as ordinary processes, or in docker/podman when the job
names a container image. Leave it running; stop it with Ctrl-C (running jobs
are stopped and reported).

Getting started:
  1. Enrol the node with the Idlegrid CLI, logged in as a provider
     (idlegrid signup "My Rigs" --provider, then idlegrid nodes add rig-1),
     or with POST /v1/nodes on the Idlegrid API. You get a node token like
     node_01jd8x4k2m9q7r5t3v1w6y8z0a.3Jq9…; it is shown once, so keep it.
  2. Give the agent the token and start it:
       export IDLEGRID_NODE_TOKEN='node_….…'
       idlegrid-agent --registry registry.idlegrid.example:443 \\
         --tls-ca /etc/idlegrid/ca.pem --price-per-gpu-hour 0.45 --country NL
  If the token is revoked or wrong, the agent says so in its log and retries
  once a minute; enrol the node again and restart it with the new token.

Usage: idlegrid-agent --token <token> [options]

Every option can also be set by the environment variable shown, or in a JSON
config file (--config). A flag wins over a variable, a variable over the file.

Required:
  --token <token>
      The node token from enrolment (<node id>.<secret>). Prefer the variable
      or the config file: flags are visible to other users in "ps".
      [IDLEGRID_NODE_TOKEN]

Connecting to Idlegrid:
  --registry <host:port>
      The registry to connect to. [IDLEGRID_REGISTRY, default 127.0.0.1:50051]
  --tls-ca <file>
      PEM CA certificate(s) that signed the registry's certificate: connect
      over TLS. Without any --tls-* the connection is plain text, which is
      only for a local cluster. [IDLEGRID_TLS_CA]
  --tls-cert <file>, --tls-key <file>
      PEM client certificate and its key: mutual TLS, for registries that
      require it. Give both or neither. [IDLEGRID_TLS_CERT, IDLEGRID_TLS_KEY]

How your machine is listed:
  --price-per-gpu-hour <usd>
      Your asking price per GPU per hour in US dollars, up to 6 decimals
      (0.45 = 45 cents). [IDLEGRID_PRICE_PER_GPU_HOUR, default 0.50]
  --region <name>
      Where the machine is, e.g. eu-west; customers can ask for a region.
      [IDLEGRID_REGION, default local]
  --country <code>
      ISO 3166-1 alpha-2 country code, e.g. NL, US, DE (GB for the United
      Kingdom); customers with data residency rules filter on it.
      [IDLEGRID_COUNTRY, default not declared]
  --bandwidth-up-mbps <n>, --bandwidth-down-mbps <n>
      Your measured upload and download speed in Mbit/s (e.g. from a speed
      test); 0 means not measured.
      [IDLEGRID_BANDWIDTH_UP_MBPS, IDLEGRID_BANDWIDTH_DOWN_MBPS, default 0]
  --node-name <name>
      Name the machine is listed under. [IDLEGRID_NODE_NAME, default hostname]
  --provider <id>
      Your provider id. Optional: the token already says whose node this is.
      [IDLEGRID_PROVIDER]

Running jobs:
  --state-dir <dir>
      Where the agent records the jobs it runs, so that after a crash or a
      reboot it stops what was left running and reports it.
      [IDLEGRID_STATE_DIR, default ~/.idlegrid-agent]
  --container-runtime auto|docker|podman|none
      What runs jobs that name a container image: auto uses docker if
      "docker info" works, else podman; none refuses such jobs. GPUs are
      passed with the NVIDIA Container Toolkit.
      [IDLEGRID_CONTAINER_RUNTIME, default auto]
  --simulate-gpus <spec>
      Declare GPUs instead of detecting them, for testing without NVIDIA
      hardware: COUNTxMODEL:VRAM_GIB, comma separated, e.g.
      "${SIMULATE_GPUS_EXAMPLE}". Jobs still run for real.
      [IDLEGRID_SIMULATE_GPUS]

Other:
  --config <file>
      JSON file of settings; keys are the flag names without dashes.
      [IDLEGRID_CONFIG]
  --log-level <level>
      ${LOG_LEVELS.join(', ')}. [LOG_LEVEL, default info]
  --log-format auto|text|json
      text: "time LEVEL message  key=value" lines; json: one JSON object a
      line, for log collectors; auto: text on a terminal, else json.
      [LOG_FORMAT, default auto]
  -h, --help      Show this help.
  -v, --version   Show the agent version.

Config file example (chmod 600 it: it holds your token):
  {
    "registry": "registry.idlegrid.example:443",
    "token": "node_….…",
    "tls-ca": "/etc/idlegrid/ca.pem",
    "price-per-gpu-hour": "0.45",
    "country": "NL",
    "region": "eu-west"
  }
  idlegrid-agent --config /etc/idlegrid/agent.json

Example without GPUs, against a local Idlegrid cluster:
  IDLEGRID_NODE_TOKEN='node_….…' idlegrid-agent --simulate-gpus 2xRTX4090:24

Exit status 2 means a setting is wrong, or the machine has no GPU to offer;
the message says which.
`
