// One run of `crosskey lint` over paths: finds the input files (recursing
// into directories), reads each in its format, groups a Terraform module's
// .tf files into one input, applies the rules, and keeps what it could not
// read as errors naming file, line and column.
//
// Not thread-safe; one run, one thread.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tools/lint/model.h"
#include "tools/lint/rules.h"
#include "tools/lint/source.h"

namespace ck::tools::lint {

class LintRun {
 public:
  // `overrides` maps a path (as found) to the text to lint instead of the
  // file's (--fix lints what it would write). May be null.
  void Load(const std::vector<std::string>& paths, const ReadOptions& options,
            const std::map<std::string, std::string>* overrides);

  const Sources& sources() const { return sources_; }
  const std::vector<Input>& inputs() const { return inputs_; }
  const std::vector<Finding>& findings() const { return findings_; }
  const std::vector<std::string>& errors() const { return errors_; }
  size_t files() const { return files_; }

 private:
  struct Candidate {
    std::string path;
    bool explicit_path;  // named on the command line (an unrecognized file is an error)
  };
  bool Read(const Candidate& c, const std::map<std::string, std::string>* overrides, std::string* text);
  void LoadFile(const Candidate& c, const ReadOptions& options, const std::map<std::string, std::string>* overrides);
  // The files named, and the lintable files under the directories named (sorted, each once).
  std::vector<Candidate> Collect(const std::vector<std::string>& paths);
  // The .tf files of one directory, read as one Terraform module.
  void LoadModule(const std::string& dir, const std::vector<Candidate>& files, const ReadOptions& options,
                  const std::map<std::string, std::string>* overrides);
  // Runs the rules over every input; findings sorted by place, each once.
  void CheckInputs();
  void Error(uint32_t file, uint32_t offset, const std::string& message);

  Sources sources_;
  std::vector<Input> inputs_;
  std::vector<Finding> findings_;
  std::vector<std::string> errors_;
  size_t files_ = 0;
};

}  // namespace ck::tools::lint
