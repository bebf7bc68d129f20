// Result typing (core/engine/value_typing.hpp) and the value types it writes: any text read as a
// Decimal, LocalDate, LocalTime or LocalDateTime either fails with TypeConversionError or reads
// back to the same value from its canonical text; conforming a fetched value to a declared type
// never throws and is idempotent (a conformed value needs no second pass).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <retort/core/decimal.hpp>
#include <retort/core/engine/value_typing.hpp>
#include <retort/core/temporal.hpp>

using namespace retort::core;

namespace {

void require(bool condition) {
  if (!condition) __builtin_trap();
}

template <class T>
void round_trips(std::string_view text) {
  try {
    T value = T::parse(text);
    require(T::parse(value.str()) == value);
    require(T::parse(value.str()).str() == value.str());
  } catch (const TypeConversionError&) {
  }
}

void conform_is_idempotent(const Value& fetched, const SqlType& type) {
  auto once = conformed_to_type(fetched, type);
  if (once) require(!conformed_to_type(*once, type));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (size > 4096) return 0;  // exponents make long numbers; long input adds nothing
  try {
    Decimal d(text);
    require(Decimal(d.str()) == d);
    require(Decimal(d.str()).str() == d.str());
    for (int scale : {0, 1, 2, 6}) {
      Decimal rounded = d.with_scale(scale);
      require(rounded.scale() == scale);
      require(Decimal(rounded.str()) == rounded);
    }
  } catch (const TypeConversionError&) {
  }
  round_trips<LocalDate>(text);
  round_trips<LocalTime>(text);
  round_trips<LocalDateTime>(text);

  Numeric money;
  money.precision = 10;
  money.scale = 2;
  const SqlType types[] = {Boolean{}, Integer{}, Double{}, Numeric{}, money, Date{}, Time{}, DateTime{}};
  for (const auto& type : types) {
    conform_is_idempotent(Value(std::string(text)), type);
    if (size == sizeof(double)) {
      double d;
      __builtin_memcpy(&d, data, sizeof d);
      conform_is_idempotent(Value(d), type);
    }
    if (size == sizeof(std::int64_t)) {
      std::int64_t i;
      __builtin_memcpy(&i, data, sizeof i);
      conform_is_idempotent(Value(i), type);
    }
  }
  return 0;
}
