#pragma once
namespace grenzfunk::propagation {
// ITU-R P.525-4 eq. (6) with the exact constant; distance in metres.
double free_space_loss_db(double frequency_mhz, double distance_m);
}  // namespace grenzfunk::propagation
