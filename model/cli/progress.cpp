#include "cli/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>

#include "core/errors.h"

namespace careabm::cli {

namespace {

ProgressMode mode_named(const std::string& text, const std::string& key, const std::string& where = "") {
  if (text == "bar") return ProgressMode::bar;
  if (text == "lines") return ProgressMode::lines;
  if (text == "none") return ProgressMode::none;
  throw InputError(where, 0, key, "expected bar, lines or none, got '" + text + "'");
}

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

constexpr double kLineEvery = 60;  // seconds: lines mode prints at least this often

// The terminal's width, or 80 when `out` is not a terminal.
long columns(std::FILE* out) {
  winsize size{};
  return ioctl(fileno(out), TIOCGWINSZ, &size) == 0 && size.ws_col > 0 ? long(size.ws_col) : 80;
}

}  // namespace

ProgressMode progress_mode(const Options& o) {
  if (o.flag("--quiet")) return ProgressMode::none;
  if (const auto text = o.value("--progress")) return mode_named(*text, "--progress");
  if (const char* env = std::getenv("CAREABM_PROGRESS")) return mode_named(env, "CAREABM_PROGRESS", "<environment>");
  return isatty(STDERR_FILENO) ? ProgressMode::bar : ProgressMode::none;
}

std::string format_duration(double seconds) {
  const long s = std::isfinite(seconds) && seconds > 0 ? std::lround(seconds) : 0;
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  }
  return buf;
}

Progress::Progress(std::string label, const Options& o) : Progress(std::move(label), progress_mode(o), stderr) {}

Progress::Progress(std::string label, ProgressMode mode, std::FILE* out, Clock clock)
    : label_(std::move(label)), mode_(mode), out_(out), clock_(clock ? std::move(clock) : Clock(steady_seconds)) {
  started_ = stage_started_ = last_line_ = clock_();
}

void Progress::stage(std::string label) {
  if (mode_ == ProgressMode::none) return;
  if (drawn_ && mode_ == ProgressMode::bar) std::fprintf(out_, "\n");
  drawn_ = false;
  label_ = std::move(label);
  stage_started_ = clock_();
  last_tenth_ = 0;
  last_done_ = last_total_ = printed_done_ = -1;
}

void Progress::update(long done, long total) {
  if (mode_ == ProgressMode::none || total <= 0) return;
  const double now = clock_();
  last_done_ = done, last_total_ = total;
  if (mode_ == ProgressMode::bar) {
    draw_bar(done, total, now);
    return;
  }
  const int tenth = static_cast<int>(10 * done / total);  // 10% steps
  if (tenth > last_tenth_ || now - last_line_ >= kLineEvery) print_line(done, total, now);
}

void Progress::finish() {
  if (mode_ == ProgressMode::lines && last_total_ > 0 && last_done_ != printed_done_) {  // where it ended
    print_line(last_done_, last_total_, clock_());
  }
  if (drawn_ && mode_ == ProgressMode::bar) std::fprintf(out_, "\n");
  std::fflush(out_);
  drawn_ = false;
}

std::string Progress::times(long done, long total, double now) const {
  std::string text = "elapsed " + format_duration(now - started_) + ", ETA ";
  const double stage_seconds = now - stage_started_;
  if (done <= 0 || done > total) return text + "--:--";
  return text + format_duration(stage_seconds * double(total - done) / double(done));
}

void Progress::draw_bar(long done, long total, double now) {
  // One line of the terminal (a wrapped line would not be redrawn in place): the bar
  // narrows to 10 characters, then the label is cut.
  const std::string tail = " " + std::to_string(done) + "/" + std::to_string(total) + "  " + times(done, total, now);
  const long room = columns(out_) - 1 - long(tail.size()) - 3 - 3;  // " [", "]", the padding
  const long width = std::clamp(room - long(label_.size()), 10L, 30L);
  const std::string label = label_.substr(0, std::size_t(std::max(0L, room - width)));
  const long filled = std::clamp(done, 0L, total) * width / total;
  // Trailing blanks cover what a longer previous drawing left (a shorter ETA).
  std::fprintf(out_, "\r%s [%.*s%*s]%s   ", label.c_str(), static_cast<int>(filled), "##############################",
               static_cast<int>(width - filled), "", tail.c_str());
  std::fflush(out_);
  drawn_ = true;
}

void Progress::print_line(long done, long total, double now) {
  std::fprintf(out_, "%s: %ld/%ld (%ld%%), %s\n", label_.c_str(), done, total, 100 * done / total,
               times(done, total, now).c_str());
  std::fflush(out_);
  last_tenth_ = static_cast<int>(10 * done / total);
  last_line_ = now;
  printed_done_ = done;
}

}  // namespace careabm::cli
