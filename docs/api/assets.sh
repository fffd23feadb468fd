#!/usr/bin/env bash
# Unpacks the Swagger UI and ReDoc builds the gateway serves (/docs, /redoc) into DEST (default
# .build/api-docs): DEST/swagger-ui/{swagger-ui-bundle.js,swagger-ui.css,favicon-32x32.png} and
# DEST/redoc/redoc.standalone.js, from the wheel pinned in docs/api/assets-requirements.txt.
# Does nothing when they are there already. Needs python3 with venv (pip comes from the venv).
set -euo pipefail
cd "$(dirname "$0")/../.."
dest="${1:-.build/api-docs}"
if [ -f "$dest/swagger-ui/swagger-ui-bundle.js" ] && [ -f "$dest/redoc/redoc.standalone.js" ]; then
    exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" download --quiet --disable-pip-version-check --no-deps --require-hashes \
    -r docs/api/assets-requirements.txt -d "$work/wheel"
mkdir -p "$dest/swagger-ui" "$dest/redoc"
python3 - "$work"/wheel/*.whl "$dest" <<'PY'
import sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
root = "drf_spectacular_sidecar/static/drf_spectacular_sidecar/"
files = {
    "swagger-ui-dist/swagger-ui-bundle.js": "swagger-ui/swagger-ui-bundle.js",
    "swagger-ui-dist/swagger-ui.css": "swagger-ui/swagger-ui.css",
    "swagger-ui-dist/favicon-32x32.png": "swagger-ui/favicon-32x32.png",
    "redoc/bundles/redoc.standalone.js": "redoc/redoc.standalone.js",
}
with zipfile.ZipFile(wheel) as archive:
    for source, target in files.items():
        with archive.open(root + source) as src, open(f"{dest}/{target}", "wb") as out:
            out.write(src.read())
PY
echo "api docs assets in $dest"
