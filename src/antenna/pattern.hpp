// Antenna radiation patterns, as gain RELATIVE TO BORESIGHT (0 dB at boresight, negative
// elsewhere): sites give their EIRP at boresight, so the pattern only attenuates.
//
// Patterns:
//   "omni"          0 dB in every direction (tilts and pattern parameters are ignored).
//   "3gpp-<bw>"     the parametric sector element of 3GPP TR 38.901 V17.0.0 (2022-03),
//                   Table 7.3-1, with horizontal 3 dB beamwidth <bw> degrees ("3gpp-65" is the
//                   table's own element):
//                     A_EH(phi')   = -min(12 (phi'/phi_3dB)^2, Am)
//                     A_EV(theta') = -min(12 ((theta' - 90)/theta_3dB)^2, SLA_V)
//                     A(theta', phi') = -min(-(A_EV + A_EH), Am)
//                   (theta' zenith angle, phi' azimuth, both in the antenna's local frame).
//                   Parameters (ParameterSet, defaults from Table 7.3-1):
//                     vertical_beamwidth_deg  theta_3dB, default 65 (real macro panels: 6-10)
//                     front_to_back_db        Am, default 30
//                     sidelobe_level_db       SLA_V, default 30
//
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

struct AntennaOrientation {
    double azimuth_deg = 0.0;
    double mechanical_tilt_deg = 0.0;
    double electrical_tilt_deg = 0.0;
};

class AntennaPattern {
  public:
    // Builds a pattern by name; throws InputError naming the offending field for an unknown
    // pattern name, a bad beamwidth, or an out-of-range orientation or parameter. Pattern
    // parameters are read from `parameters` (only for the 3GPP patterns, so that the scenario
    // layer reports keys given to an omni antenna as unused).
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
    double horizontal_beamwidth_deg_ = 65.0;
    double vertical_beamwidth_deg_ = 65.0;
    double front_to_back_db_ = 30.0;
    double sidelobe_level_db_ = 30.0;
    // Precomputed for the per-pixel evaluation.
    double cos_tilt_ = 1.0;
    double sin_tilt_ = 0.0;
    std::shared_ptr<const PatternModel> model_;  // set by from_model only
};

}  // namespace grenzfunk::antenna
