package io.kube4j.runtime;

import io.grpc.stub.StreamObserver;
import io.kube4j.cri.v1.FilesystemIdentifier;
import io.kube4j.cri.v1.FilesystemUsage;
import io.kube4j.cri.v1.Image;
import io.kube4j.cri.v1.ImageFilter;
import io.kube4j.cri.v1.ImageFsInfoRequest;
import io.kube4j.cri.v1.ImageFsInfoResponse;
import io.kube4j.cri.v1.ImageServiceGrpc;
import io.kube4j.cri.v1.ImageSpec;
import io.kube4j.cri.v1.ImageStatusRequest;
import io.kube4j.cri.v1.ImageStatusResponse;
import io.kube4j.cri.v1.ListImagesRequest;
import io.kube4j.cri.v1.ListImagesResponse;
import io.kube4j.cri.v1.PullImageRequest;
import io.kube4j.cri.v1.PullImageResponse;
import io.kube4j.cri.v1.RemoveImageRequest;
import io.kube4j.cri.v1.RemoveImageResponse;
import io.kube4j.cri.v1.StreamImagesRequest;
import io.kube4j.cri.v1.StreamImagesResponse;
import io.kube4j.cri.v1.UInt64Value;
import io.kube4j.runtime.container.ContainerManager;
import io.kube4j.runtime.image.ImagePuller;
import io.kube4j.runtime.image.ImageRecord;
import io.kube4j.runtime.image.ImageReference;
import io.kube4j.runtime.image.ImageStore;

import java.util.List;
import java.util.Optional;

/** runtime.v1.ImageService over the local image store. */
final class CriImageService extends ImageServiceGrpc.ImageServiceImplBase {
    private final ImageStore store;
    private final ImagePuller puller;
    private final ContainerManager containers;

    CriImageService(ImageStore store, ImagePuller puller, ContainerManager containers) {
        this.store = store;
        this.puller = puller;
        this.containers = containers;
    }

    @Override
    public void listImages(ListImagesRequest request, StreamObserver<ListImagesResponse> observer) {
        GrpcCalls.unary("ListImages", observer, () -> ListImagesResponse.newBuilder().addAllImages(filtered(request.getFilter())).build());
    }

    @Override
    public void streamImages(StreamImagesRequest request, StreamObserver<StreamImagesResponse> observer) {
        GrpcCalls.unary("StreamImages", observer, () -> StreamImagesResponse.newBuilder().addAllImages(filtered(request.getFilter())).build());
    }

    private List<Image> filtered(ImageFilter filter) {
        if (!filter.getImage().getImage().isEmpty()) {
            return store.find(filter.getImage().getImage()).map(CriImageService::image).stream().toList();
        }
        return store.list().stream().map(CriImageService::image).toList();
    }

    @Override
    public void imageStatus(ImageStatusRequest request, StreamObserver<ImageStatusResponse> observer) {
        GrpcCalls.unary("ImageStatus", observer, () -> {
            Optional<ImageRecord> image = store.find(request.getImage().getImage());
            ImageStatusResponse.Builder response = ImageStatusResponse.newBuilder();
            image.ifPresent(i -> response.setImage(image(i)));
            return response.build();
        });
    }

    @Override
    public void pullImage(PullImageRequest request, StreamObserver<PullImageResponse> observer) {
        GrpcCalls.unary("PullImage", observer, () -> {
            ImageReference reference = ImageReference.parse(request.getImage().getImage());
            ImageRecord image = puller.pull(reference, request.getAuth());
            return PullImageResponse.newBuilder().setImageRef(image.id()).build();
        });
    }

    @Override
    public void removeImage(RemoveImageRequest request, StreamObserver<RemoveImageResponse> observer) {
        GrpcCalls.unary("RemoveImage", observer, () -> {
            store.remove(request.getImage().getImage(), containers::layerInUse);
            return RemoveImageResponse.getDefaultInstance();
        });
    }

    @Override
    public void imageFsInfo(ImageFsInfoRequest request, StreamObserver<ImageFsInfoResponse> observer) {
        GrpcCalls.unary("ImageFsInfo", observer, () -> {
            long[] usage = store.usage();
            return ImageFsInfoResponse.newBuilder().addImageFilesystems(FilesystemUsage.newBuilder()
                    .setTimestamp(System.currentTimeMillis() * 1_000_000L)
                    .setFsId(FilesystemIdentifier.newBuilder().setMountpoint(store.root().getParent().toString()))
                    .setUsedBytes(UInt64Value.newBuilder().setValue(usage[0]))
                    .setInodesUsed(UInt64Value.newBuilder().setValue(usage[1]))).build();
        });
    }

    static Image image(ImageRecord record) {
        Image.Builder image = Image.newBuilder()
                .setId(record.id())
                .addAllRepoTags(record.repoTags())
                .addAllRepoDigests(record.repoDigests())
                .setSize(record.size())
                .setSpec(ImageSpec.newBuilder().setImage(record.id()));
        String user = record.config().user();
        String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        if (name.matches("\\d+")) {
            image.setUid(io.kube4j.cri.v1.Int64Value.newBuilder().setValue(Long.parseLong(name)));
        } else if (!name.isEmpty()) {
            image.setUsername(name);
        }
        return image.build();
    }
}
