# Sourced by the scripts that run Python against Switchyard: python_venv VENV REQUIREMENTS makes
# VENV a virtual environment with exactly the pinned REQUIREMENTS, recreating it only when that
# file changed since (a copy of it is kept in VENV/.requirements).
python_venv() {
    local venv="$1" requirements="$2"
    if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$venv/.requirements"; then
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
        cp "$requirements" "$venv/.requirements"
    fi
}
