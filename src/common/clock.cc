#include "common/clock.h"

namespace jisr {

const Clock& SystemClock::Instance() {
  static const SystemClock* const clock = new SystemClock();
  return *clock;
}

}  // namespace jisr
