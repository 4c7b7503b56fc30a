package main

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"

	"tapgen.local/engine/fabricate"
)

// server answers the engine for one package.
type server struct {
	pulumirpc.UnimplementedResourceProviderServer
	pkg     string
	schema  *fabricate.Package
	catalog *fabricate.Catalog
	record  *recorder
}

func (s *server) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: s.schema.Version}, nil
}

func (s *server) GetSchema(_ context.Context, req *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	s.record.log(call{Method: "GetSchema"})
	return &pulumirpc.GetSchemaResponse{Schema: string(s.schema.Raw)}, nil
}

// CheckConfig accepts the provider's configuration as given.
func (s *server) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	s.record.log(call{Method: "CheckConfig", URN: req.Urn, Inputs: plain(req.News)})
	return &pulumirpc.CheckResponse{Inputs: req.News}, nil
}

func (s *server) DiffConfig(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return s.diff("DiffConfig", req)
}

func (s *server) Configure(_ context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	s.record.log(call{Method: "Configure", Inputs: plain(req.Args)})
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true, AcceptResources: true}, nil
}

// Invoke answers a function with every output it declares, canned where tapgen relies on the
// value (see fabricate.Invoke).
func (s *server) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	args, err := unmarshal(req.Args)
	if err != nil {
		return nil, err
	}
	result, err := s.catalog.Invoke(req.Tok, known(args))
	if err != nil {
		return nil, err
	}
	s.record.log(call{Method: "Invoke", Token: req.Tok, Preview: req.Preview, Inputs: plain(req.Args), Outputs: result})
	ret, err := marshal(resource.NewPropertyMapFromMap(result))
	if err != nil {
		return nil, fmt.Errorf("invoke %s: %w", req.Tok, err)
	}
	return &pulumirpc.InvokeResponse{Return: ret}, nil
}

func (s *server) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}
