// Helpers shared by the name-matching benchmarks: locating the shared data
// sets, reading the OpenSanctions fixtures as screening::Person lists, simple
// statistics and peak memory.
//
// Thread-safety: plain functions; not for concurrent use of one CsvTable.
#ifndef JISR_BENCH_NAMES_BENCH_DATA_H_
#define JISR_BENCH_NAMES_BENCH_DATA_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "screening/person.h"

namespace jisr::bench {

// The data directory: $JISR_DATA_DIR if set, else `fallback`.
std::string DataDir(const std::string& fallback);

// A CSV file with a header row.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  // Index of column `name`, or -1.
  int Column(std::string_view name) const;
};

// Reads a CSV file (RFC 4180, UTF-8, fields up to 64 KiB).
absl::StatusOr<CsvTable> ReadCsvTable(const std::string& path);

// Which columns of an OpenSanctions screening fixture to keep.
struct FixtureOptions {
  bool birth_date = true;
  bool nationality = true;
  bool gender = true;
};

// Persons of an OpenSanctions screening fixture (full_name, date_of_birth,
// nationality as a code or an English country name, gender). Ids are
// `prefix` + row number (0-based). Malformed dates (1969-7-16, 1974-01-32)
// are kept as the year when it is valid, dropped otherwise.
std::vector<screening::Person> FixturePersons(
    const CsvTable& table, std::string_view prefix,
    const FixtureOptions& options = {});

// ISO code of an English country name used by the fixtures ("" if unknown).
std::string CountryCode(std::string_view name);

// 64-bit FNV-1a (stable split of data sets).
uint64_t StableHash(std::string_view s);

// One row of translit-coling2018/wd_arabic.tokens.tsv: a Latin spelling
// that Wikidata uses for an Arabic-script token, and how often.
struct TranslitRow {
  std::string latin;
  std::string arabic;  // letters without the file's separating spaces
  int count = 0;
};

// The part of translit-coling2018 the name benchmarks use: Arabic tokens
// split 80/20 by StableHash(arabic) % 5 (0: the 20% test part). Malformed
// lines are skipped. Errors: NotFound when DIR/translit-coling2018/
// wd_arabic.tokens.tsv cannot be read.
enum class TranslitPart { kTrain, kTest };
absl::StatusOr<std::vector<TranslitRow>> ReadTranslitPart(
    const std::string& dir, TranslitPart part);

// Peak resident set size of this process, in MiB.
double PeakRssMiB();

// Percentile p (0..100) of `values` (sorted in place).
double Percentile(std::vector<double>* values, double p);

}  // namespace jisr::bench

#endif  // JISR_BENCH_NAMES_BENCH_DATA_H_
