// Compact JSON serialisation for JSON Lines output: like boost::json's, but
// numbers are written in their shortest plain decimal form ("0.8817", not
// "8.817E-1"), which is what people and tools reading screening results
// expect.
//
// Thread-safety: pure functions.
#ifndef JISR_SCREENING_JSON_LINES_H_
#define JISR_SCREENING_JSON_LINES_H_

#include <boost/json/value.hpp>
#include <string>

namespace jisr::screening {

// Appends `value` as compact JSON (no newline) to `out`.
void AppendJson(const boost::json::value& value, std::string* out);

// Returns `value` as compact JSON (no newline).
std::string ToJsonText(const boost::json::value& value);

}  // namespace jisr::screening

#endif  // JISR_SCREENING_JSON_LINES_H_
