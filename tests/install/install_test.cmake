# ctest install.consumer: `cmake --install` into a temporary prefix, then build and
# run a small project (tests/install/consumer) that finds careabm with
# find_package(careabm) and links careabm::careabm_lib. Also checks what else is
# installed: the program, the headers, the package's version file, the analysis
# package and (when built) the Python module, which must give the consumer's numbers.
# CITATION.cff must name the project's version.
# Variables: BUILD_DIR, SOURCE_DIR, WORK_DIR, GENERATOR, PYTHON, WITH_PYTHON, PYTHONDIR, SANITIZE.
cmake_minimum_required(VERSION 3.25)

function(run_checked what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${what} failed (${status}):\n${out}\n${err}")
  endif()
  set(OUTPUT "${out}" PARENT_SCOPE)
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

run_checked("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
file(STRINGS ${BUILD_DIR}/CMakeCache.txt version_line REGEX "^CMAKE_PROJECT_VERSION:")
string(REGEX REPLACE ".*=" "" version "${version_line}")

set(expected bin/careabm include/careabm/scenario/load.h include/careabm/core/rng.h
    ${PYTHONDIR}/careabm_analysis/__init__.py share/careabm/scenarios/examples/minimal.toml)
file(GLOB config_dirs ${prefix}/lib*/cmake/careabm ${prefix}/lib/*/cmake/careabm)
if(NOT config_dirs)
  message(FATAL_ERROR "no lib*/cmake/careabm under ${prefix}")
endif()
foreach(file careabmConfig.cmake careabmConfigVersion.cmake careabmTargets.cmake)
  if(NOT EXISTS ${config_dirs}/${file})
    message(FATAL_ERROR "not installed: ${config_dirs}/${file}")
  endif()
endforeach()
if(WITH_PYTHON)
  list(APPEND expected ${PYTHONDIR}/careabm/__init__.py)
endif()
foreach(file ${expected})
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "not installed: ${prefix}/${file}")
  endif()
endforeach()

# The citation names the version that is installed.
file(STRINGS ${SOURCE_DIR}/CITATION.cff cited REGEX "^version:")
if(NOT cited STREQUAL "version: ${version}")
  message(FATAL_ERROR "CITATION.cff says '${cited}', but the project's version is ${version}")
endif()

run_checked("installed careabm --version" ${prefix}/bin/careabm --version)
if(NOT OUTPUT MATCHES "^careabm ${version}")
  message(FATAL_ERROR "installed careabm --version printed '${OUTPUT}', expected careabm ${version}")
endif()

set(scenario ${prefix}/share/careabm/scenarios/examples/minimal.toml)
# A sanitizer build's library needs the sanitizers' runtime in the consumer too.
set(flags "")
if(SANITIZE)
  set(flags "-fsanitize=address,undefined,float-cast-overflow")
endif()
run_checked("configuring the consumer" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/install/consumer
            -B ${WORK_DIR}/consumer-build -G ${GENERATOR} -DCMAKE_BUILD_TYPE=Release
            -DCMAKE_PREFIX_PATH=${prefix} -DCAREABM_EXPECTED_VERSION=${version}
            "-DCMAKE_CXX_FLAGS=${flags}" "-DCMAKE_EXE_LINKER_FLAGS=${flags}")
run_checked("building the consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/consumer-build)
run_checked("running the consumer" ${WORK_DIR}/consumer-build/consumer ${scenario})
if(NOT OUTPUT MATCHES "^consumer: careabm ${version}, scenario minimal, headcount 2022 ([0-9]+), 2031 ([0-9]+)")
  message(FATAL_ERROR "unexpected consumer output: ${OUTPUT}")
endif()
set(consumer_line "${OUTPUT}")
message(STATUS "${consumer_line}")

if(WITH_PYTHON AND PYTHON)
  # The installed module, not the build tree's: PYTHONPATH is the prefix's only.
  set(script "import careabm, careabm_analysis, sys
assert careabm.__file__.startswith(sys.argv[2]), careabm.__file__
ds = careabm.run(sys.argv[1], replications=1)
release = careabm.__version__.partition(\"+\")[0]  # the module gives the git commit too, CAREABM_VERSION the release only
h = ds['workforce/headcount'].isel(replication=0).sum(['subregion', 'branch', 'occupation'])
print(f'consumer: careabm {release}, scenario {ds.attrs[\"scenario_name\"]}, headcount '
      f'{int(ds.year[0])} {int(h[0])}, {int(ds.year[-1])} {int(h[-1])}')")
  run_checked("the installed Python module" ${CMAKE_COMMAND} -E env PYTHONPATH=${prefix}/${PYTHONDIR}
              ${PYTHON} -c "${script}" ${scenario} ${prefix})
  if(NOT OUTPUT STREQUAL consumer_line)
    message(FATAL_ERROR "the installed Python module printed\n${OUTPUT}but the consumer\n${consumer_line}")
  endif()
endif()
file(REMOVE_RECURSE ${WORK_DIR})
