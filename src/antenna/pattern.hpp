// Antenna radiation patterns, as gain RELATIVE TO BORESIGHT (0 dB at boresight, negative
// elsewhere): sites give their EIRP at boresight, so the pattern only attenuates.
//
// Patterns (docs/antennas.md):
//   "omni"          0 dB in every direction (tilts and pattern parameters are ignored).
//   "3gpp-<bw>"     the parametric sector element of 3GPP TR 38.901 V17.0.0 (2022-03),
//                   Table 7.3-1, with horizontal 3 dB beamwidth <bw> degrees:
//                     A_EH(phi')   = -min(12 (phi'/phi_3dB)^2, Am)
//                     A_EV(theta') = -min(12 ((theta' - 90)/theta_3dB)^2, SLA_V)
//                     A(theta', phi') = -min(-(A_EV + A_EH), Am)
//                   (theta' zenith angle, phi' azimuth, both in the antenna's local frame).
//   "3gpp(h=65;v=10;fb=25;sla=20)"
//                   the same element with its parameters in the name, each optional, separated
//                   by ';' (or ',' in a quoted CSV field): h = phi_3dB, v = theta_3dB (degrees),
//                   fb = Am, sla = SLA_V (dB).
//                   A parameter not in the name comes from the scenario's [antenna] table
//                   (ParameterSet keys vertical_beamwidth_deg, front_to_back_db,
//                   sidelobe_level_db), else from the defaults below.
//   Defaults: the 3-D macro element of 3GPP TR 36.814 V9.0.0 (2010-03) Table A.2.1.1-2:
//   theta_3dB = 10 deg, SLA_V = 20 dB, Am = 25 dB; phi_3dB = 65 deg (TR 38.901 Table 7.3-1).
//   Pattern files (MSI/Planet cuts) are built by antenna/cut_pattern.hpp.

// The parametric element's defaults: the one place they are defined.
inline constexpr double kDefaultHorizontalBeamwidthDeg = 65.0;  // TR 38.901 Table 7.3-1
inline constexpr double kDefaultVerticalBeamwidthDeg = 10.0;    // TR 36.814 Table A.2.1.1-2
inline constexpr double kDefaultFrontToBackDb = 25.0;           // Am, TR 36.814 A.2.1.1-2
inline constexpr double kDefaultSidelobeLevelDb = 20.0;         // SLA_V, TR 36.814 A.2.1.1-2

// Orientation:
//   azimuth_deg            boresight bearing, degrees clockwise from north.
//   mechanical_tilt_deg    downtilt (positive = down) of the whole antenna: it rotates the
//                          antenna about its horizontal axis (TR 38.901 §7.1.3, eqs. (7.1-7),
//                          (7.1-8) with bearing alpha, downtilt beta, slant gamma = 0). The beam
//                          points down in front and UP behind the antenna.
//   electrical_tilt_deg    downtilt of the vertical beam alone, in every azimuth of the local
//                          frame: the vertical cut is centred on theta' = 90 + electrical tilt.
//
// Directions to a target are given as azimuth (degrees clockwise from north) and elevation
// (degrees, positive upward) as seen from the antenna. Evaluation is cheap and never throws.
#pragma once

#include <map>
#include <memory>
#include <string>

namespace grenzfunk {
class ParameterSet;
}

namespace grenzfunk::antenna {

// A pattern computed by another model (e.g. HCM antenna codes, antenna/hcm_antenna.hpp),
// wrapped by AntennaPattern::from_model. Same contract as AntennaPattern::relative_gain_db.
class PatternModel {
  public:
    virtual ~PatternModel() = default;
    virtual double relative_gain_db(double azimuth_to_target_deg,
                                    double elevation_to_target_deg) const noexcept = 0;
    virtual std::map<std::string, std::string> parameters() const = 0;
};

// The antenna's own frame: bearing, then mechanical downtilt as the rotation of TR 38.901
// §7.1.3 (eqs. (7.1-7), (7.1-8), slant 0). Directions in it: azimuth degrees clockwise from
// boresight seen from above, in [-180, 180]; elevation degrees, positive up.
struct LocalDirection {
    double azimuth_deg;
    double elevation_deg;
};
class AntennaFrame {
  public:
    AntennaFrame(double azimuth_deg, double mechanical_tilt_deg);
    LocalDirection local(double azimuth_to_target_deg,
                         double elevation_to_target_deg) const noexcept;

  private:
    double azimuth_deg_ = 0.0;
    double cos_tilt_ = 1.0;
    double sin_tilt_ = 0.0;
};

struct AntennaOrientation {
    double azimuth_deg = 0.0;
    double mechanical_tilt_deg = 0.0;
    double electrical_tilt_deg = 0.0;
};

class AntennaPattern {
  public:
    // Builds a pattern by name ("omni", "3gpp-<bw>", "3gpp(...)"); throws InputError naming the
    // offending field for an unknown pattern name, a bad or repeated parameter, or an
    // out-of-range orientation or parameter. Scenario-wide parameters are read from
    // `parameters` (only for the 3GPP patterns, so that the scenario layer reports keys given
    // to an omni antenna as unused); a parameter in the name overrides them.
    static AntennaPattern create(const std::string& pattern_name,
                                 const AntennaOrientation& orientation,
                                 const ParameterSet& parameters);

    // A pattern whose gain and metadata come from `model` (never null; not omni).
    static AntennaPattern from_model(std::string pattern_name,
                                     std::shared_ptr<const PatternModel> model);

    // Gain relative to boresight, dB (<= 0). Omni: always 0. 3GPP: NaN input gives NaN.
    // Never throws.
    double relative_gain_db(double azimuth_to_target_deg,
                            double elevation_to_target_deg) const noexcept;

    const std::string& name() const { return name_; }
    bool is_omni() const { return omni_; }
    // Effective settings (defaults filled in), for output metadata.
    std::map<std::string, std::string> parameters() const;

  private:
    AntennaPattern() = default;

    std::string name_;
    bool omni_ = true;
    AntennaOrientation orientation_;
    double horizontal_beamwidth_deg_ = kDefaultHorizontalBeamwidthDeg;
    double vertical_beamwidth_deg_ = kDefaultVerticalBeamwidthDeg;
    double front_to_back_db_ = kDefaultFrontToBackDb;
    double sidelobe_level_db_ = kDefaultSidelobeLevelDb;
    AntennaFrame frame_{0.0, 0.0};
    std::shared_ptr<const PatternModel> model_;  // set by from_model only
};

}  // namespace grenzfunk::antenna
