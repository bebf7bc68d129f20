// Overloaded{lambdas...}: one visitor from several lambdas, for std::visit over the op variant.
#pragma once

namespace retort::migrate::ops {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace retort::migrate::ops
