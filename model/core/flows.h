// Flow kinds recorded per (year, subregion, branch, occupation). The labels
// are part of the HDF5 contract: each starts with "in." or "out." as seen
// from the cell, so headcount[y] = headcount[y-1] + sum(in.*) - sum(out.*)
// holds in every cell. Inflows come first (is_inflow).
#pragma once

#include <string>
#include <vector>

namespace careabm {

enum Flow : int {
  kInGraduates,
  kInReentry,
  kInCareerSwitchers,
  kInOutsideRegion,
  kInTransfer,
  kInUpgrade,
  kInMobility,           // changed occupation without training (labour_market.mobility)
  kInRecruitedReserve,   // hired from the reserve by demand-pulled recruitment (labour_market.recruitment)
  kInRecruitedOutside,   // hired from the outside labour pool by demand-pulled recruitment
  kOutRetirement,
  kOutToReserve,
  kOutLeftRegion,
  kOutDeathDisability,
  kOutTransfer,
  kOutUpgrade,
  kOutMobility,
  kFlowCount
};

inline const std::vector<std::string>& flow_labels() {
  static const std::vector<std::string> labels = {
      "in.graduates",      "in.reentry",         "in.career_switchers",   "in.outside_region",
      "in.transfer",       "in.upgrade",         "in.mobility",           "in.recruited_reserve",
      "in.recruited_outside", "out.retirement",  "out.to_reserve",        "out.left_region",
      "out.death_disability", "out.transfer",    "out.upgrade",           "out.mobility"};
  return labels;
}

inline bool is_inflow(int f) { return f < kOutRetirement; }

}  // namespace careabm
