using System.Text.Json;
using MathDnn.Activations;
using MathDnn.IO;
using MathDnn.Layers;
using MathDnn.Networks;

namespace MathDnn.Tests.IO;

/// <summary>
/// Model files written by the code before MathDnn.IO existed (ModelFile in the CLI, format version 1) still load, and are
/// written again byte for byte. The two documents below were produced by that code and pasted here unchanged — the one
/// place where a test embeds output of the program as its reference: <see cref="Xor"/> by
/// <c>mathdnn train --data xor --layers 3 --epochs 2 --out m.json</c>, <see cref="Mixed"/> by its ModelFile.Save of
/// dense(2→3) → leaky-relu(0.2) → maxout(3→2, 2 pieces) → elu(0.5) → dense(2→2) → sigmoid with input scale 0.5 (seed 5,
/// every parameter shifted by (i mod 7)·0.0137 − 0.04 so that the biases are not 0). Every expected number below is read
/// from the documents' text by a plain JSON parser, not from the loader under test.
/// </summary>
public sealed class OldFormatTests
{
    internal const string Xor = """
        {
          "format": "mathdnn-model",
          "version": 1,
          "input": {
            "size": 2
          },
          "layers": [
            {
              "type": "dense",
              "W": [
                [
                  -1.05664072872482,
                  1.2278645659413636
                ],
                [
                  0.2967792397922232,
                  0.9199672124333907
                ],
                [
                  -1.3770655505330063,
                  -0.8194948698980931
                ]
              ],
              "b": [
                -0.14605432554206915,
                0.029937819243550587,
                -0.15741021000829195
              ]
            },
            {
              "type": "activation",
              "name": "relu"
            },
            {
              "type": "dense",
              "W": [
                [
                  0.1252221761207169,
                  0.33233471933012265,
                  1.1694923889146385
                ],
                [
                  1.361935548933369,
                  -0.46779050419260526,
                  0.06297106340573363
                ]
              ],
              "b": [
                -0.0012966173451579195,
                0.0012966173451576914
              ]
            },
            {
              "type": "activation",
              "name": "softmax"
            }
          ],
          "loss": "categorical-cross-entropy",
          "training": {
            "task": "classification",
            "classes": 2,
            "data": "xor",
            "layers": [
              3
            ],
            "activation": "relu",
            "optimizer": "momentum",
            "lr": 0.05,
            "momentum": 0.9,
            "decay": 0.0001,
            "batch": 32,
            "seed": 42,
            "test_split": 0.2,
            "val_split": 0,
            "epochs": 2,
            "seconds": 0.057,
            "history": [
              {
                "epoch": 1,
                "loss": 0.705700257517991,
                "accuracy": 0.4425,
                "val_loss": null,
                "val_accuracy": null,
                "steps": 25
              },
              {
                "epoch": 2,
                "loss": 0.601534803080413,
                "accuracy": 0.69875,
                "val_loss": null,
                "val_accuracy": null,
                "steps": 50
              }
            ]
          },
          "optimizer_state": {
            "count": 50,
            "buffers": {
              "v": [
                -0.027466572007043423,
                -0.0013463773869747475,
                0.02208003833250267,
                0.0054090704107432695,
                0.0005623032197102987,
                -0.019845978679413456,
                -0.001752548438471958,
                0.00566066631616404,
                -0.004302398668503837,
                -0.02184931246502117,
                0.015968144565216242,
                0.015554091531046987,
                0.02184931246502117,
                -0.015968144565216242,
                -0.015554091531046988,
                -0.005864043626421352,
                0.005864043626421347
              ]
            },
            "inner": []
          }
        }
        """;

    internal const string Mixed = """
        {
          "format": "mathdnn-model",
          "version": 1,
          "input": {
            "size": 2,
            "scale": 0.5
          },
          "layers": [
            {
              "type": "dense",
              "W": [
                [
                  -0.7009817491416791,
                  0.6030137312379913
                ],
                [
                  0.24694642531212807,
                  0.42769547260972773
                ],
                [
                  -0.6807963958592527,
                  0.015124656814520326
                ]
              ],
              "b": [
                0.042199999999999994,
                -0.04,
                -0.0263
              ]
            },
            {
              "type": "activation",
              "name": "leaky-relu",
              "slope": 0.2
            },
            {
              "type": "maxout",
              "pieces": 2,
              "W": [
                [
                  -0.059066308847609834,
                  0.7299997537062447,
                  0.5716147007702607
                ],
                [
                  -0.146804892088203,
                  -0.6501554120742983,
                  0.1797662172544671
                ],
                [
                  0.7212929102494863,
                  0.3547228725150226,
                  0.4164369836155943
                ],
                [
                  -0.7030214933957734,
                  -1.0392857350099596,
                  -0.819607325767975
                ]
              ],
              "b": [
                -0.04,
                -0.0263,
                -0.0126,
                0.0010999999999999968
              ]
            },
            {
              "type": "activation",
              "name": "elu",
              "alpha": 0.5
            },
            {
              "type": "dense",
              "W": [
                [
                  -0.2852261300706075,
                  0.35272941879846126
                ],
                [
                  -0.49586078983057347,
                  0.16298248647905422
                ]
              ],
              "b": [
                -0.0263,
                -0.0126
              ]
            },
            {
              "type": "activation",
              "name": "sigmoid"
            }
          ],
          "loss": "binary-cross-entropy"
        }
        """;

    /// <summary>Every number of the "layers" entries' parameter arrays, in document order (W row by row, then b).</summary>
    private static double[] ParametersInText(string text)
    {
        using var doc = JsonDocument.Parse(text);
        var values = new List<double>();
        foreach (var layer in doc.RootElement.GetProperty("layers").EnumerateArray())
            foreach (var p in layer.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.Array)
                    foreach (var e in p.Value.EnumerateArray())
                        if (e.ValueKind == JsonValueKind.Array) values.AddRange(e.EnumerateArray().Select(v => v.GetDouble()));
                        else values.Add(e.GetDouble());
        return [.. values];
    }

    [Fact]
    public void A_trained_xor_model_of_version_1_loads_with_its_numbers_training_and_optimizer_state()
    {
        var saved = ModelFile.FromJson(Xor, "xor.json");
        var net = saved.Network;
        Assert.Equal(new Layer[] { new Dense(2, 3), new Relu(), new Dense(3, 2), new Softmax() }, net.Layers.ToArray());
        Assert.Equal(ParametersInText(Xor), net.Parameters.ToArray()); // bit for bit
        Assert.Equal("categorical-cross-entropy", saved.Loss);
        Assert.Null(saved.InputScale);
        Assert.Equal("xor", saved.Training!["data"].GetString());
        Assert.Equal(50, saved.OptimizerState!.Count);
        using var doc = JsonDocument.Parse(Xor);
        var v = doc.RootElement.GetProperty("optimizer_state").GetProperty("buffers").GetProperty("v").EnumerateArray().Select(e => e.GetDouble());
        Assert.Equal(v, saved.OptimizerState.Buffers["v"].ToArray());
    }

    [Fact]
    public void A_version_1_model_with_maxout_leaky_relu_and_elu_loads_with_its_settings()
    {
        var saved = ModelFile.FromJson(Mixed, "mixed.json");
        Assert.Equal(new Layer[] { new Dense(2, 3), new LeakyRelu(0.2), new Maxout(3, 2, 2), new Elu(0.5), new Dense(2, 2), new Sigmoid() },
            saved.Network.Layers.ToArray());
        Assert.Equal(ParametersInText(Mixed), saved.Network.Parameters.ToArray());
        Assert.Equal(0.5, saved.InputScale);
        Assert.Equal("binary-cross-entropy", saved.Loss);
    }

    [Theory]
    [InlineData(nameof(Xor))]
    [InlineData(nameof(Mixed))]
    public void Version_1_files_are_written_again_byte_for_byte(string which)
    {
        // Dense, maxout (its "pieces" an integer) and the activations with their settings keep the exact form of version 1.
        var text = which == nameof(Xor) ? Xor : Mixed;
        Assert.Equal(text.ReplaceLineEndings("\n"), ModelFile.ToJson(ModelFile.FromJson(text)).ReplaceLineEndings("\n"));
    }
}
