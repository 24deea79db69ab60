// Loaders of the optional scenario sections, called by load_params (load.cpp).
// Each reads its keys through the Reader, so unknown keys are still reported.
#pragma once

#include <string>
#include <vector>

#include "scenario/document.h"
#include "scenario/params.h"

namespace careabm::scenario {

// [training]: programmes, supervision. Absent: no trainees.
void load_training(const Reader& r, Params& p);
// [clients]: population, incidence, needs, places, informal care, client-driven demand. Absent: no clients.
void load_clients(const Reader& r, Params& p);

// [interventions.<name>]: after training and clients (it names their programmes and needs). Absent: none.
void load_interventions(const Reader& r, Params& p);

// [labour_market]: qualifications and jobs, allocation by vacancies, recruitment, mobility,
// workload feedback. Absent: none of it (labour_market.enabled = false).
void load_labour_market(const Reader& r, Params& p);

// [uncertainty]: the bands of the scenario's uncertain numbers. Absent: none.
void load_uncertainty(const Reader& r, Params& p);

// [calibration]: free parameters (key, bounds) and the record of a fit. Absent: nothing to fit.
void load_calibration(const Reader& r, Params& p);

// Shared helpers.
// The index of the string at `key` in `categories`; an unknown name is an error.
int category_id(const Reader& r, const std::string& key, const std::vector<std::string>& categories);
// A list of category names at `key`, as 0/1 flags per category.
std::vector<std::uint8_t> category_flags(const Reader& r, const std::string& key,
                                         const std::vector<std::string>& categories);
// A list of whole numbers in [lo, hi] (band bounds in years); a fraction is an
// error located at its element.
std::vector<int> whole_number_list(const Reader& r, const std::string& key, int lo, int hi);
// A by-category table of shares that must sum to 1 (missing categories are 0).
std::vector<double> distribution(const Reader& r, const std::string& key,
                                 const std::vector<std::string>& categories);

}  // namespace careabm::scenario
